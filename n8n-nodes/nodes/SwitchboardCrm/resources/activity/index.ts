import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { add, addDescription } from './add';
import { getMany, getManyDescription } from './getMany';

export const activityDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['activity'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				action: 'Add an activity to a contact',
				description: "Record what an automation did on the contact's timeline",
			},
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get activities of a contact',
				description: "List a contact's activities, newest first, in one item",
			},
		],
		default: 'add',
	},
	...addDescription,
	...getManyDescription,
];

export const activityOperations: Record<string, OperationHandler> = { add, getMany };
