import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

const showFor = (extra: IDataObject = {}) => ({
	show: { resource: ['paymentLink'], operation: ['create'], ...extra },
});

export const createDescription: INodeProperties[] = [
	{
		displayName: 'Price',
		name: 'pricing',
		type: 'options',
		displayOptions: showFor(),
		options: [
			{
				name: 'Amount',
				value: 'amount',
				description: 'An amount, currency and description typed here',
			},
			{ name: 'Stripe Price ID', value: 'price', description: 'A price defined in Stripe' },
		],
		default: 'amount',
	},
	{
		displayName: 'Amount',
		name: 'amount',
		type: 'number',
		typeOptions: { minValue: 0.5, numberPrecision: 2 },
		required: true,
		displayOptions: showFor({ pricing: ['amount'] }),
		default: 0,
		placeholder: 'e.g. 49.00',
		description: 'In the currency\'s main unit (49.5 = 49.50); sent in cents (minor units)',
	},
	{
		displayName: 'Currency',
		name: 'currency',
		type: 'string',
		required: true,
		displayOptions: showFor({ pricing: ['amount'] }),
		default: 'usd',
		placeholder: 'e.g. usd',
		description: 'Three-letter ISO 4217 code',
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		required: true,
		displayOptions: showFor({ pricing: ['amount'] }),
		default: '',
		placeholder: 'e.g. Deposit for kitchen visit',
		description: 'What the customer pays for (shown on the payment page)',
	},
	{
		displayName: 'Price ID',
		name: 'priceId',
		type: 'string',
		required: true,
		displayOptions: showFor({ pricing: ['price'] }),
		default: '',
		placeholder: 'e.g. price_1PqRsT2eZvKYlo2C',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		displayOptions: showFor(),
		default: {},
		options: [
			{
				displayName: 'Contact ID',
				name: 'contactId',
				type: 'string',
				default: '',
				description: 'The contact the link is for (shown on their timeline)',
			},
			{
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				description:
					'Creating twice with the same key returns the first link (e.g. the ID of the booking it is for)',
			},
			{
				displayName: 'Quantity',
				name: 'quantity',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: 1,
			},
		],
	},
];

/** Main unit to minor units (cents), without floating-point surprises: 19.99 → 1999. */
export function toMinorUnits(amount: number): number {
	return Math.round(amount * 100);
}

/** Currencies whose minor unit is the main unit (Stripe's zero-decimal list, most common ones). */
const ZERO_DECIMAL = new Set(['bif', 'clp', 'djf', 'gnf', 'jpy', 'kmf', 'krw', 'mga', 'pyg', 'rwf', 'ugx', 'vnd', 'vuv', 'xaf', 'xof', 'xpf']);

/** POST /api/v1/payment-links: amount + currency + description, or a Stripe price id. */
export async function create(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const pricing = this.getNodeParameter('pricing', itemIndex) as string;
	const options = this.getNodeParameter('options', itemIndex, {}) as {
		contactId?: string;
		idempotencyKey?: string;
		quantity?: number;
	};
	const body: IDataObject = {
		...(options.quantity ? { quantity: options.quantity } : {}),
		...(options.contactId?.trim() ? { contactId: options.contactId.trim() } : {}),
	};
	if (pricing === 'price') {
		const priceId = stringParameter.call(this, 'priceId', itemIndex);
		if (!priceId) throw new NodeOperationError(this.getNode(), 'Price ID is empty', { itemIndex });
		body.priceId = priceId;
	} else {
		const currency = stringParameter.call(this, 'currency', itemIndex).toLowerCase();
		const description = stringParameter.call(this, 'description', itemIndex);
		const amount = Number(this.getNodeParameter('amount', itemIndex));
		if (!/^[a-z]{3}$/.test(currency)) {
			throw new NodeOperationError(this.getNode(), `"${currency}" is not a currency code`, {
				itemIndex,
				description: 'Use a three-letter ISO 4217 code, e.g. usd or eur.',
			});
		}
		if (!description) throw new NodeOperationError(this.getNode(), 'Description is empty', { itemIndex });
		const minor = ZERO_DECIMAL.has(currency) ? Math.round(amount) : toMinorUnits(amount);
		if (!Number.isFinite(minor) || minor < 50) {
			throw new NodeOperationError(this.getNode(), `Amount ${amount} is too small for a payment link`, {
				itemIndex,
			});
		}
		Object.assign(body, { amount: minor, currency, description });
	}
	const idempotencyKey = options.idempotencyKey?.trim();
	return (await itemRequest.call(this, itemIndex, {
		method: 'POST',
		path: '/api/v1/payment-links',
		body,
		...(idempotencyKey ? { headers: { 'Idempotency-Key': idempotencyKey } } : {}),
	})) as IDataObject;
}
