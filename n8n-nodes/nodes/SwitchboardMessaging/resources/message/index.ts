import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { get, getDescription } from './get';
import { send, sendDescription } from './send';

export const messageDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Send',
				value: 'send',
				action: 'Send a message',
				description:
					'Send a WhatsApp, SMS or Telegram message; the send policy may defer or deny it',
			},
			{
				name: 'Get Status',
				value: 'get',
				action: 'Get the status of a message',
				description: 'Get a message with its delivery status, error and policy decision',
			},
		],
		default: 'send',
	},
	...sendDescription,
	...getDescription,
];

export const messageOperations: Record<string, OperationHandler> = { send, get };
