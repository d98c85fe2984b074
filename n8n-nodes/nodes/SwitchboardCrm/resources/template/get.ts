import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

export const getDescription: INodeProperties[] = [
	{
		displayName: 'Template',
		name: 'templateKey',
		type: 'options',
		required: true,
		displayOptions: { show: { resource: ['template'], operation: ['get'] } },
		options: [
			{ name: 'Follow-Up: Last Message', value: 'follow_up_last' },
			{ name: 'Follow-Up: Second Message', value: 'follow_up_second' },
			{ name: 'Missed Call Text-Back', value: 'missed_call' },
		],
		default: 'missed_call',
		description: 'Which automation message to read; the output has text, whatsappTemplate and whatsappLanguage',
	},
];

/** GET /api/v1/automation-templates/:key: the tenant's own wording or the default. */
export async function get(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const key = stringParameter.call(this, 'templateKey', itemIndex);
	if (!key) throw new NodeOperationError(this.getNode(), 'Template is empty', { itemIndex });
	return (await itemRequest.call(this, itemIndex, {
		method: 'GET',
		path: `/api/v1/automation-templates/${encodeURIComponent(key)}`,
	})) as IDataObject;
}
