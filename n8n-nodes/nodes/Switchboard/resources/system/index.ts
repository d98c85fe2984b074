import type { INodeProperties } from 'n8n-workflow';
import { getStatus, getStatusDescription } from './getStatus';
import type { OperationHandler } from '../../../shared/types';

const showOnlyForSystem = { resource: ['system'] };

export const systemDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: showOnlyForSystem },
		options: [
			{
				name: 'Get Status',
				value: 'getStatus',
				action: 'Get backend status',
				description: 'Check whether the Switchboard backend and its dependencies are ready',
			},
		],
		default: 'getStatus',
	},
	...getStatusDescription,
];

export const systemOperations: Record<string, OperationHandler> = {
	getStatus,
};
