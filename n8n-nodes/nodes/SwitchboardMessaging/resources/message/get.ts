import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';
import { outcomeOf } from './send';

export const getDescription: INodeProperties[] = [
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		displayOptions: { show: { resource: ['message'], operation: ['get'] } },
		default: '',
		placeholder: 'e.g. 0b2a9c11-7d1f-4c6a-9e35-2f6c1a4e8b0d',
		description: 'ID of a message sent earlier (the ID in the output of Send)',
	},
];

/** Final statuses: the message will not change any more. */
const FINAL_STATUSES = ['delivered', 'read', 'failed', 'undelivered', 'denied', 'dead'];

/** GET /api/v1/messages/:id: status, error, policy decision and status history. */
export async function get(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const messageId = stringParameter.call(this, 'messageId', itemIndex);
	if (!messageId) throw new NodeOperationError(this.getNode(), 'Message ID is empty', { itemIndex });
	const message = (await itemRequest.call(this, itemIndex, {
		method: 'GET',
		path: `/api/v1/messages/${encodeURIComponent(messageId)}`,
	})) as IDataObject;
	return { ...message, ...outcomeOf(message), final: FINAL_STATUSES.includes(String(message.status)) };
}
