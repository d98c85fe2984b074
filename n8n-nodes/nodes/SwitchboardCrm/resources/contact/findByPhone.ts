import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { stringParameter } from '../../../shared/descriptions';
import { apiError, sendSwitchboardRequest } from '../../../shared/transport';

export const findByPhoneDescription: INodeProperties[] = [
	{
		displayName: 'Phone Number',
		name: 'phone',
		type: 'string',
		required: true,
		displayOptions: { show: { resource: ['contact'], operation: ['findByPhone'] } },
		default: '',
		placeholder: 'e.g. +14155550123',
		description:
			"As typed; numbers without a country code are read in the tenant's country, like the backend stores them",
	},
];

/**
 * GET /api/v1/contacts/by-phone. "No such contact" is an answer: `{ found: false, phone }`, so a workflow
 * can branch on `found` (an IF node) instead of failing.
 */
export async function findByPhone(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const phone = stringParameter.call(this, 'phone', itemIndex);
	if (!phone) throw new NodeOperationError(this.getNode(), 'Phone Number is empty', { itemIndex });
	const tenantId = stringParameter.call(this, 'tenantId', itemIndex);
	const request = { method: 'GET' as const, path: '/api/v1/contacts/by-phone', qs: { phone }, tenantId };
	const response = await sendSwitchboardRequest.call(this, request, itemIndex);
	if (response.statusCode === 404) return { found: false, phone };
	if (response.statusCode !== 200) throw apiError.call(this, request, response, itemIndex);
	return { found: true, ...(response.body as IDataObject) };
}
