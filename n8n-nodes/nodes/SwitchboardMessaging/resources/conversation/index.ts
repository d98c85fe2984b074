import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { getMany, getManyDescription } from './getMany';

export const conversationDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['conversation'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getMany',
				action: 'Get the conversations of a contact',
				description:
					"A contact's conversations in one item, with the last time the contact wrote (lastInboundAt)",
			},
		],
		default: 'getMany',
	},
	...getManyDescription,
];

export const conversationOperations: Record<string, OperationHandler> = { getMany };
