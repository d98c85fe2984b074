import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { tenantIdProperty } from '../shared/descriptions';
import { runOperations } from '../shared/run-operations';
import { activityDescription, activityOperations } from './resources/activity';
import { bookingDescription, bookingOperations } from './resources/booking';
import { templateDescription, templateOperations } from './resources/template';
import { contactDescription, contactOperations } from './resources/contact';
import { noteDescription, noteOperations } from './resources/note';

export class SwitchboardCrm implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Switchboard CRM',
		name: 'switchboardCrm',
		icon: { light: 'file:../../icons/switchboard.svg', dark: 'file:../../icons/switchboard.dark.svg' },
		group: ['transform'],
		version: [1],
		subtitle: '={{$parameter["operation"] + ": " + $parameter["resource"]}}',
		description: "Find, create and update the tenant's contacts; add notes and activities; set lead stages; read bookings and message templates",
		defaults: {
			name: 'Switchboard CRM',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'switchboardApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Activity',
						value: 'activity',
						description: 'Structured timeline entries written by automations',
					},
					{ name: 'Booking', value: 'booking', description: 'Appointments in the built-in calendar' },
					{ name: 'Contact', value: 'contact', description: "The tenant's contacts and leads" },
					{ name: 'Note', value: 'note', description: "Free-text notes on a contact's timeline" },
					{ name: 'Template', value: 'template', description: "The tenant's wording of the automation messages" },
				],
				default: 'contact',
			},
			tenantIdProperty,
			...contactDescription,
			...noteDescription,
			...activityDescription,
			...bookingDescription,
			...templateDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperations.call(this, {
			contact: contactOperations,
			note: noteOperations,
			activity: activityOperations,
			booking: bookingOperations,
			template: templateOperations,
		});
	}
}
