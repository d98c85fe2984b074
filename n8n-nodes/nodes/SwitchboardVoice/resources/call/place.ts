import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

const showFor = { show: { resource: ['call'], operation: ['place'] } };

export const placeDescription: INodeProperties[] = [
	{
		displayName: 'To',
		name: 'to',
		type: 'string',
		required: true,
		displayOptions: showFor,
		default: '',
		placeholder: 'e.g. +14155550123',
		description: 'Phone number to call, in international format (E.164)',
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		displayOptions: showFor,
		default: '',
		placeholder: 'e.g. Hello, this is Acme Dental reminding you of your appointment tomorrow at 10.',
		description: 'What the call says when answered (text to speech), up to 1000 characters',
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
				displayName: 'From',
				name: 'from',
				type: 'string',
				default: '',
				placeholder: 'e.g. +14155550100',
				description: "One of the tenant's connected numbers. Empty: the first one.",
			},
			{
				displayName: 'Language',
				name: 'language',
				type: 'string',
				default: '',
				placeholder: 'e.g. en-US',
				description: 'Language of the spoken message',
			},
		],
	},
];

/** POST /api/v1/calls: the call is placed by the tenant's voice provider; its outcome arrives as call.* events. */
export async function place(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const to = stringParameter.call(this, 'to', itemIndex);
	const message = stringParameter.call(this, 'message', itemIndex);
	if (!to) throw new NodeOperationError(this.getNode(), 'To is empty', { itemIndex });
	if (!message) throw new NodeOperationError(this.getNode(), 'Message is empty', { itemIndex });
	const options = this.getNodeParameter('options', itemIndex, {}) as { from?: string; language?: string };
	return (await itemRequest.call(this, itemIndex, {
		method: 'POST',
		path: '/api/v1/calls',
		body: {
			to,
			message,
			...(options.from?.trim() ? { from: options.from.trim() } : {}),
			...(options.language?.trim() ? { language: options.language.trim() } : {}),
		},
	})) as IDataObject;
}
