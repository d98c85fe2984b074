import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { recordRun, recordRunDescription } from './recordRun';
import { reportFailure, reportFailureDescription } from './reportFailure';

export const automationDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['automation'] } },
		options: [
			{
				name: 'Record Run',
				value: 'recordRun',
				action: 'Record what this execution works on',
				description:
					'Tell Switchboard which call, contact or message this execution handles, so a failure shows up there',
			},
			{
				name: 'Report Failure',
				value: 'reportFailure',
				action: 'Report a failed execution',
				description: 'After an Error Trigger: record the failed execution in Switchboard',
			},
		],
		default: 'recordRun',
	},
	...recordRunDescription,
	...reportFailureDescription,
];

export const automationOperations: Record<string, OperationHandler> = { recordRun, reportFailure };
