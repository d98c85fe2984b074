import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

// One handler per operation, all through POST /api/v1/ai/generate; the operation is the backend's task.
const TASK_OF: Record<string, string> = {
	draftReply: 'reply_draft',
	summarize: 'summary',
	classify: 'classify',
};
const LABEL = /^[a-z0-9_-]{1,40}$/;
const allOperations = Object.keys(TASK_OF);

export const generateDescription: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		displayOptions: { show: { resource: ['text'], operation: allOperations } },
		default: '',
		placeholder: 'e.g. Hi, do you have time for a quote on Thursday?',
		description:
			'The input: the customer message to answer, the conversation or transcript to summarize, or the text to classify',
	},
	{
		displayName: 'Labels',
		name: 'labels',
		type: 'string',
		required: true,
		displayOptions: { show: { resource: ['text'], operation: ['classify'] } },
		default: '',
		placeholder: 'e.g. interested, not_interested, callback',
		description: 'Comma-separated labels to choose from (2 to 50, lowercase words joined by _ or -)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: { show: { resource: ['text'], operation: allOperations } },
		default: {},
		options: [
			{
				displayName: 'Context',
				name: 'context',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
				description: 'Extra facts for the model: the conversation so far, business hours, prices',
			},
			{
				displayName: 'Instructions',
				name: 'instructions',
				type: 'string',
				typeOptions: { rows: 2 },
				default: '',
				description:
					"Instructions for this call (tone, length, language), added to the tenant's AI instructions",
			},
			{
				displayName: 'Max Output Tokens',
				name: 'maxOutputTokens',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 4000 },
				default: 500,
				description: 'Upper bound of the answer length, in tokens',
			},
		],
	},
];

export function parseLabels(this: IExecuteFunctions, itemIndex: number): string[] {
	const raw = this.getNodeParameter('labels', itemIndex, '') as string | string[];
	const labels = (Array.isArray(raw) ? raw : String(raw).split(','))
		.map((label) => String(label).trim())
		.filter((label) => label !== '');
	const unique = [...new Set(labels)];
	const invalid = unique.filter((label) => !LABEL.test(label));
	if (unique.length < 2 || unique.length > 50 || invalid.length > 0) {
		throw new NodeOperationError(this.getNode(), 'Labels must be 2 to 50 distinct labels', {
			itemIndex,
			description: invalid.length
				? `Not valid: ${invalid.join(', ')}. Use lowercase words joined by _ or -, e.g. not_interested.`
				: 'Separate the labels with commas, e.g. interested, not_interested, callback.',
		});
	}
	return unique;
}

/**
 * POST /api/v1/ai/generate { task, text, labels?, context?, instructions?, maxOutputTokens?, reference }.
 * The backend holds the LLM key, applies the tenant's instructions and meters the tokens; the
 * execution id goes along as `reference`, so usage can be traced back to the run.
 */
export async function generate(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const operation = this.getNodeParameter('operation', itemIndex) as string;
	const task = TASK_OF[operation];
	const text = String(this.getNodeParameter('text', itemIndex, '') ?? '');
	if (!text.trim()) throw new NodeOperationError(this.getNode(), 'Text is empty', { itemIndex });
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		context?: string;
		instructions?: string;
		maxOutputTokens?: number;
	};
	const executionId = this.getExecutionId();
	return (await itemRequest.call(this, itemIndex, {
		method: 'POST',
		path: '/api/v1/ai/generate',
		body: {
			task,
			text,
			...(task === 'classify' ? { labels: parseLabels.call(this, itemIndex) } : {}),
			...(options.context?.trim() ? { context: options.context } : {}),
			...(options.instructions?.trim() ? { instructions: options.instructions } : {}),
			...(options.maxOutputTokens ? { maxOutputTokens: options.maxOutputTokens } : {}),
			...(executionId ? { reference: `n8n:${executionId}:${stringParameter.call(this, 'operation', itemIndex)}`.slice(0, 200) } : {}),
		},
	})) as IDataObject;
}
