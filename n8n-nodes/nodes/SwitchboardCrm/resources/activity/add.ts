import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { jsonParse, NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';
import { contactIdField, requiredContactId } from '../contact/get';

const showFor = { show: { resource: ['activity'], operation: ['add'] } };
const ACTIVITY_TYPE = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,3}$/;

export const addDescription: INodeProperties[] = [
	contactIdField(['add'], 'activity'),
	{
		displayName: 'Type',
		name: 'type',
		type: 'string',
		required: true,
		displayOptions: showFor,
		default: '',
		placeholder: 'e.g. follow_up.outcome',
		description: 'What happened, as dotted lowercase words, e.g. follow_up.outcome or alert.opted_out',
	},
	{
		displayName: 'Data (JSON)',
		name: 'data',
		type: 'json',
		displayOptions: showFor,
		default: '{}',
		description: 'Details of the activity as a JSON object (at most 16 KB)',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: showFor,
		default: {},
		options: [
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Logging twice with the same key records the activity once (e.g. the ID of the event that caused it)',
			},
			{
				displayName: 'Occurred At',
				name: 'occurredAt',
				type: 'dateTime',
				default: '',
				description: 'When it happened. Empty: now.',
			},
		],
	},
];

function dataOf(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const raw = this.getNodeParameter('data', itemIndex, {}) as unknown;
	const data = typeof raw === 'string' ? (raw.trim() ? jsonParse<unknown>(raw) : {}) : raw;
	if (typeof data !== 'object' || data === null || Array.isArray(data)) {
		throw new NodeOperationError(this.getNode(), 'Data (JSON) must be a JSON object', { itemIndex });
	}
	return data as IDataObject;
}

/** POST /api/v1/contacts/:id/activities { type, data, occurredAt?, idempotencyKey? }. */
export async function add(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const contactId = requiredContactId.call(this, itemIndex);
	const type = stringParameter.call(this, 'type', itemIndex);
	if (!ACTIVITY_TYPE.test(type) || type.length > 100) {
		throw new NodeOperationError(this.getNode(), `"${type}" is not an activity type`, {
			itemIndex,
			description: 'Use dotted lowercase words, e.g. follow_up.outcome (at most 4 parts, 100 characters).',
		});
	}
	let data: IDataObject;
	try {
		data = dataOf.call(this, itemIndex);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), error as Error, {
			itemIndex,
			message: `Data (JSON) is not valid JSON: ${(error as Error).message}`,
		});
	}
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		idempotencyKey?: string;
		occurredAt?: string;
	};
	return (await itemRequest.call(this, itemIndex, {
		method: 'POST',
		path: `/api/v1/contacts/${contactId}/activities`,
		body: {
			type,
			data,
			...(options.occurredAt ? { occurredAt: new Date(options.occurredAt).toISOString() } : {}),
			...(options.idempotencyKey?.trim() ? { idempotencyKey: options.idempotencyKey.trim() } : {}),
		},
	})) as IDataObject;
}
