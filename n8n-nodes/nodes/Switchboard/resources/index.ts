import type { INodeProperties } from 'n8n-workflow';
import { automationDescription, automationOperations } from './automation';
import { systemDescription, systemOperations } from './system';
import type { OperationRegistry } from '../../shared/types';

// Each resource folder contributes its UI description and its operation handlers.
// Add a resource: create resources/<resource>/, then register it in both places below.
export const resourceOptions = [
	{
		name: 'Automation',
		value: 'automation',
		description: 'Record what an execution works on, and report failed executions',
	},
	{
		name: 'System',
		value: 'system',
		description: 'Health and status of the Switchboard backend',
	},
];

export const resourceDescriptions: INodeProperties[] = [...automationDescription, ...systemDescription];

export const operationsByResource: OperationRegistry = {
	automation: automationOperations,
	system: systemOperations,
};
