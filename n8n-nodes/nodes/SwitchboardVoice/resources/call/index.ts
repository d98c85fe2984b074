import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { get, getDescription } from './get';
import { place, placeDescription } from './place';

export const callDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['call'] } },
		options: [
			{
				name: 'Place',
				value: 'place',
				action: 'Place a call with a spoken message',
				description: 'Call a number and speak a message when answered',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a call',
				description: 'Get a call with its status, outcome and duration',
			},
		],
		default: 'place',
	},
	...placeDescription,
	...getDescription,
];

export const callOperations: Record<string, OperationHandler> = { place, get };
