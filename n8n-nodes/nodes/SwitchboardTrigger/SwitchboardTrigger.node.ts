import type {
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { eventOptions } from './events';
import { receiveEvent } from './receive-event';
import { createSubscription, removeSubscription, subscriptionExists } from './subscription';

export class SwitchboardTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Switchboard Trigger',
		name: 'switchboardTrigger',
		icon: { light: 'file:../../icons/switchboard.svg', dark: 'file:../../icons/switchboard.dark.svg' },
		group: ['trigger'],
		version: [1],
		subtitle: '={{$parameter["events"].join(", ")}}',
		description: 'Starts the workflow when Switchboard reports a call, message, contact, booking or payment event',
		defaults: {
			name: 'Switchboard Trigger',
		},
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'switchboardApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				// The backend only needs a 2xx; n8n would otherwise answer with the literal "firstEntryJson".
				responseData: 'noData',
				path: 'webhook',
			},
		],
		properties: [
			{
				displayName:
					'Activating the workflow subscribes it to these events in Switchboard; deactivating it unsubscribes. Every delivery is signed and checked.',
				name: 'notice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: eventOptions,
				default: [],
				description: 'The events that start this workflow',
			},
			{
				displayName: 'Tenant ID',
				name: 'tenantId',
				type: 'string',
				default: '',
				placeholder: 'e.g. 2f6c1a4e-8b0d-4c6a-9e35-7d1f0b2a9c11',
				description:
					"Only this tenant's events. Leave empty for every tenant the service token can see (an agency token: all tenants of the agency).",
			},
		],
	};

	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return await subscriptionExists.call(this);
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return await createSubscription.call(this);
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return await removeSubscription.call(this);
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveEvent.call(this);
	}
}
