import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';
import { defaultIdempotencyKey } from '../../../shared/idempotency';

const showFor = (extra: IDataObject = {}) => ({
	show: { resource: ['message'], operation: ['send'], ...extra },
});

export const sendDescription: INodeProperties[] = [
	{
		displayName: 'Channel',
		name: 'channel',
		type: 'options',
		displayOptions: showFor(),
		options: [
			{ name: 'SMS', value: 'sms' },
			{ name: 'Telegram', value: 'telegram' },
			{ name: 'WhatsApp', value: 'whatsapp' },
		],
		default: 'whatsapp',
		description: 'The channel to send on. The tenant must have it connected.',
	},
	{
		displayName: 'Send To',
		name: 'recipient',
		type: 'options',
		displayOptions: showFor(),
		options: [
			{ name: 'Contact', value: 'contact', description: 'A contact by ID' },
			{
				name: 'Phone Number',
				value: 'phone',
				description: 'A phone number; the contact is found or created',
			},
		],
		default: 'contact',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		required: true,
		displayOptions: showFor({ recipient: ['contact'] }),
		default: '',
		placeholder: 'e.g. 7d1f0b2a-9c11-4c6a-9e35-2f6c1a4e8b0d',
		description: 'ID of the Switchboard contact to message',
	},
	{
		displayName: 'Phone Number',
		name: 'to',
		type: 'string',
		required: true,
		displayOptions: showFor({ recipient: ['phone'] }),
		default: '',
		placeholder: 'e.g. +14155550123',
		description: 'Phone number in international format (E.164)',
	},
	{
		displayName: 'Content',
		name: 'content',
		type: 'options',
		displayOptions: showFor(),
		options: [
			{ name: 'Text', value: 'text', description: 'A free-form message' },
			{
				name: 'Template',
				value: 'template',
				description: 'An approved template (needed on WhatsApp outside the 24-hour reply window)',
			},
		],
		default: 'text',
	},
	{
		displayName: 'Text',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		displayOptions: showFor({ content: ['text'] }),
		default: '',
		description: 'The message, up to 1600 characters',
	},
	{
		displayName: 'Template Name',
		name: 'templateName',
		type: 'string',
		required: true,
		displayOptions: showFor({ content: ['template'] }),
		default: '',
		placeholder: 'e.g. missed_call_followup',
	},
	{
		displayName: 'Template Language',
		name: 'templateLanguage',
		type: 'string',
		displayOptions: showFor({ content: ['template'] }),
		default: '',
		placeholder: 'e.g. en or pt_BR',
		description: "Language of the template. Empty: the tenant's default.",
	},
	{
		displayName: 'Template Variables',
		name: 'templateVariables',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Variable',
		displayOptions: showFor({ content: ['template'] }),
		default: {},
		options: [
			{
				displayName: 'Variable',
				name: 'variable',
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						placeholder: 'e.g. first_name',
					},
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
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
				displayName: 'Idempotency Key',
				name: 'idempotencyKey',
				type: 'string',
				default: '',
				placeholder: 'e.g. missed-call:{{ $json.data.callId }}',
				description:
					'Sending twice with the same key sends once and returns the first message. Empty: derived from the execution, node and item, so retries inside one execution never send twice. Set it from the business event (e.g. the call ID) when a re-delivered event must not send again.',
			},
		],
	},
];

function templateOf(this: IExecuteFunctions, itemIndex: number): IDataObject {
	const variables: IDataObject = {};
	const rows = this.getNodeParameter('templateVariables.variable', itemIndex, []) as Array<{
		name: string;
		value: string;
	}>;
	for (const { name, value } of rows) {
		if (name.trim()) variables[name.trim()] = String(value ?? '');
	}
	const language = stringParameter.call(this, 'templateLanguage', itemIndex);
	return {
		name: stringParameter.call(this, 'templateName', itemIndex),
		...(language ? { language } : {}),
		...(Object.keys(variables).length > 0 ? { variables } : {}),
	};
}

/** What the policy did, in the words operators use: sent (accepted for sending), deferred or denied. */
export function outcomeOf(message: IDataObject): IDataObject {
	const policy = (message.policy ?? null) as {
		decision?: string;
		reason?: { code?: string; message?: string };
		until?: string | null;
	} | null;
	const decision = policy?.decision ?? (message.status === 'denied' ? 'deny' : message.status === 'deferred' ? 'defer' : 'allow');
	const outcome = decision === 'deny' ? 'denied' : decision === 'defer' ? 'deferred' : 'sent';
	return {
		outcome,
		reasonCode: policy?.reason?.code ?? null,
		reason: policy?.reason?.message ?? null,
		deferredUntil: policy?.until ?? null,
	};
}

/**
 * POST /api/v1/messages with an Idempotency-Key. The policy's "deny" and "defer" are answers, not
 * failures: they come back as `outcome` (with the reason) for the workflow to branch on.
 */
export async function send(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const channel = this.getNodeParameter('channel', itemIndex) as string;
	const recipient = this.getNodeParameter('recipient', itemIndex) as string;
	const content = this.getNodeParameter('content', itemIndex) as string;
	const body: IDataObject = { channel };

	const address =
		recipient === 'contact'
			? stringParameter.call(this, 'contactId', itemIndex)
			: stringParameter.call(this, 'to', itemIndex);
	if (!address) {
		throw new NodeOperationError(
			this.getNode(),
			recipient === 'contact' ? 'Contact ID is empty' : 'Phone Number is empty',
			{ itemIndex, description: 'Map it from an earlier node, e.g. the contact found by phone.' },
		);
	}
	body[recipient === 'contact' ? 'contactId' : 'to'] = address;

	if (content === 'template') {
		body.template = templateOf.call(this, itemIndex);
		if (!(body.template as IDataObject).name) {
			throw new NodeOperationError(this.getNode(), 'Template Name is empty', { itemIndex });
		}
	} else {
		const text = String(this.getNodeParameter('text', itemIndex, '') ?? '');
		if (!text.trim()) throw new NodeOperationError(this.getNode(), 'Text is empty', { itemIndex });
		body.body = text;
	}

	const options = this.getNodeParameter('options', itemIndex, {}) as { idempotencyKey?: string };
	const idempotencyKey = options.idempotencyKey?.trim() || defaultIdempotencyKey.call(this, itemIndex);
	const message = (await itemRequest.call(this, itemIndex, {
		method: 'POST',
		path: '/api/v1/messages',
		headers: { 'Idempotency-Key': idempotencyKey },
		body,
	})) as IDataObject;
	return { ...message, ...outcomeOf(message), idempotencyKey };
}
