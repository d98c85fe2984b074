import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { stringParameter } from '../../../shared/descriptions';
import { apiError, sendSwitchboardRequest } from '../../../shared/transport';
import { contactFields, filledFields } from './fields';

const showFor = { show: { resource: ['contact'], operation: ['upsert'] } };

export const upsertDescription: INodeProperties[] = [
	{
		displayName: 'Phone Number',
		name: 'phone',
		type: 'string',
		required: true,
		displayOptions: showFor,
		default: '',
		placeholder: 'e.g. +14155550123',
		description: 'Finds the contact by this number (normalized to E.164), or creates one',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		displayOptions: showFor,
		default: {},
		options: contactFields,
	},
];

/** POST /api/v1/contacts: create or update by phone; `created` tells which happened. */
export async function upsert(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phone = stringParameter.call(this, 'phone', itemIndex);
	if (!phone) throw new NodeOperationError(this.getNode(), 'Phone Number is empty', { itemIndex });
	const fields = filledFields(this.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject);
	const request = {
		method: 'POST' as const,
		path: '/api/v1/contacts',
		body: { phone, ...fields },
		tenantId: stringParameter.call(this, 'tenantId', itemIndex),
	};
	const response = await sendSwitchboardRequest.call(this, request, itemIndex);
	if (response.statusCode !== 200 && response.statusCode !== 201) {
		throw apiError.call(this, request, response, itemIndex);
	}
	return { ...(response.body as IDataObject), created: response.statusCode === 201 };
}
