import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { add, addDescription } from './add';

export const noteDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['note'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				action: 'Add a note to a contact',
				description: "Add a free-text note to the contact's timeline",
			},
		],
		default: 'add',
	},
	...addDescription,
];

export const noteOperations: Record<string, OperationHandler> = { add };
