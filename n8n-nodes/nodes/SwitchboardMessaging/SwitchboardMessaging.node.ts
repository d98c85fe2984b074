import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { tenantIdProperty } from '../shared/descriptions';
import { runOperations } from '../shared/run-operations';
import { channelDescription, channelOperations } from './resources/channel';
import { conversationDescription, conversationOperations } from './resources/conversation';
import { messageDescription, messageOperations } from './resources/message';

export class SwitchboardMessaging implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Switchboard Messaging',
		name: 'switchboardMessaging',
		icon: { light: 'file:../../icons/switchboard.svg', dark: 'file:../../icons/switchboard.dark.svg' },
		group: ['output'],
		version: [1],
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description:
			"Send WhatsApp, SMS and Telegram messages through Switchboard (consent, quiet hours and frequency caps applied) and check their status",
		defaults: {
			name: 'Switchboard Messaging',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'switchboardApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Channel', value: 'channel' },
					{ name: 'Conversation', value: 'conversation' },
					{ name: 'Message', value: 'message' },
				],
				default: 'message',
			},
			tenantIdProperty,
			...messageDescription,
			...conversationDescription,
			...channelDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperations.call(this, {
			message: messageOperations,
			conversation: conversationOperations,
			channel: channelOperations,
		});
	}
}
