import type { INodeProperties } from 'n8n-workflow';
import type { OperationHandler } from '../../../shared/types';
import { findByPhone, findByPhoneDescription } from './findByPhone';
import { get, getDescription } from './get';
import { setLeadStage, setLeadStageDescription } from './setLeadStage';
import { upsert, upsertDescription } from './upsert';

export const contactDescription: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['contact'] } },
		options: [
			{
				name: 'Create or Update',
				value: 'upsert',
				action: 'Create or update a contact',
				description: 'Create a new record, or update the current one if it already exists (upsert)',
			},
			{
				name: 'Find by Phone',
				value: 'findByPhone',
				action: 'Find a contact by phone number',
				description: 'Look a contact up by phone number; outputs found: false when there is none',
			},
			{
				name: 'Get',
				value: 'get',
				action: 'Get a contact',
				description: 'Get a contact by ID, with its consent per channel',
			},
			{
				name: 'Set Lead Stage',
				value: 'setLeadStage',
				action: 'Set the lead stage of a contact',
				description: 'Move a contact to a lead stage, e.g. qualified or booked',
			},
		],
		default: 'findByPhone',
	},
	...upsertDescription,
	...findByPhoneDescription,
	...getDescription,
	...setLeadStageDescription,
];

export const contactOperations: Record<string, OperationHandler> = {
	upsert,
	findByPhone,
	get,
	setLeadStage,
};
