import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { tenantIdProperty } from '../shared/descriptions';
import { runOperations } from '../shared/run-operations';
import { textDescription, textOperations } from './resources/text';

export class SwitchboardAi implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Switchboard AI',
		name: 'switchboardAi',
		icon: { light: 'file:../../icons/switchboard.svg', dark: 'file:../../icons/switchboard.dark.svg' },
		group: ['transform'],
		version: [1],
		subtitle: '={{$parameter["operation"]}}',
		description: "Draft replies, summarize and classify text with the backend's AI (the tenant's instructions and metering applied)",
		defaults: {
			name: 'Switchboard AI',
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
				options: [{ name: 'Text', value: 'text' }],
				default: 'text',
			},
			tenantIdProperty,
			...textDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperations.call(this, { text: textOperations });
	}
}
