import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

export const getDescription: INodeProperties[] = [
	{
		displayName: 'Payment Link ID',
		name: 'paymentLinkId',
		type: 'string',
		required: true,
		displayOptions: { show: { resource: ['paymentLink'], operation: ['get'] } },
		default: '',
		description: 'ID of the payment link (the ID in the output of Create)',
	},
];

/** GET /api/v1/payment-links/:id, with `active` refreshed from Stripe. */
export async function get(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const id = stringParameter.call(this, 'paymentLinkId', itemIndex);
	if (!id) throw new NodeOperationError(this.getNode(), 'Payment Link ID is empty', { itemIndex });
	return (await itemRequest.call(this, itemIndex, {
		method: 'GET',
		path: `/api/v1/payment-links/${encodeURIComponent(id)}`,
	})) as IDataObject;
}
