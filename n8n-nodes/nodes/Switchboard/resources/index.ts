import type { INodeProperties } from 'n8n-workflow';
import { systemDescription, systemOperations } from './system';
import type { OperationHandler } from './types';

// Each resource folder contributes its UI description and its operation handlers.
// Add a resource: create resources/<resource>/, then register it in both places below.
export const resourceOptions = [
	{
		name: 'System',
		value: 'system',
		description: 'Health and status of the Switchboard backend',
	},
];

export const resourceDescriptions: INodeProperties[] = [...systemDescription];

export const operationsByResource: Record<string, Record<string, OperationHandler>> = {
	system: systemOperations,
};
