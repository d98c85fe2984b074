import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

export const getDescription: INodeProperties[] = [
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		required: true,
		displayOptions: { show: { resource: ['call'], operation: ['get'] } },
		default: '',
		placeholder: 'e.g. 9e352f6c-1a4e-4b0d-8c6a-7d1f0b2a9c11',
		description: 'ID of the call (the ID in the output of Place, or data.callId of a call event)',
	},
];

/** GET /api/v1/calls/:id: direction, status, outcome (missed/completed), duration, timestamps. */
export async function get(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const callId = stringParameter.call(this, 'callId', itemIndex);
	if (!callId) throw new NodeOperationError(this.getNode(), 'Call ID is empty', { itemIndex });
	return (await itemRequest.call(this, itemIndex, {
		method: 'GET',
		path: `/api/v1/calls/${encodeURIComponent(callId)}`,
	})) as IDataObject;
}
