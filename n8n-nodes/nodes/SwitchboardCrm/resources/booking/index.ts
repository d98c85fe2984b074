import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { get, getDescription } from './get';

export const bookingDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['booking'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a booking',
				description: 'Get a booking as it is now, e.g. to check it is still confirmed before a reminder',
			},
		],
		default: 'get',
	},
	...getDescription,
];

export const bookingOperations: Record<string, OperationHandler> = { get };
