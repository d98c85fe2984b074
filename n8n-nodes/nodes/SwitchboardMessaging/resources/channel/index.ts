import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { getAvailability, getAvailabilityDescription } from './getAvailability';

export const channelDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['channel'] } },
		options: [
			{
				name: 'Get Available',
				value: 'getAvailability',
				action: 'Get the channels that can send',
				description:
					'Which channels the tenant has connected now (WhatsApp only when its phone or Cloud API number is connected)',
			},
		],
		default: 'getAvailability',
	},
	...getAvailabilityDescription,
];

export const channelOperations: Record<string, OperationHandler> = { getAvailability };
