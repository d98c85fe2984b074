import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { get, getDescription } from './get';

export const templateDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['template'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				action: 'Get a message template',
				description: "The tenant's wording of an automation message (or the default), edited in the portal",
			},
		],
		default: 'get',
	},
	...getDescription,
];

export const templateOperations: Record<string, OperationHandler> = { get };
