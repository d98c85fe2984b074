import type { INodeProperties } from 'n8n-workflow';
import { systemDescription, systemOperations } from './system';
import type { OperationRegistry } from '../../shared/types';

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

export const operationsByResource: OperationRegistry = {
	system: systemOperations,
};
