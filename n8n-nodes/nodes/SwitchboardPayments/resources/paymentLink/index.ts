import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { create, createDescription } from './create';
import { get, getDescription } from './get';

export const paymentLinkDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['paymentLink'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				action: 'Create a payment link',
				description: 'Create a Stripe payment link to send to a customer',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a payment link',
				description: 'Get a payment link and whether it is still active',
			},
		],
		default: 'create',
	},
	...createDescription,
	...getDescription,
];

export const paymentLinkOperations: Record<string, OperationHandler> = { create, get };
