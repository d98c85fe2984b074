import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { tenantIdProperty } from '../shared/descriptions';
import { runOperations } from '../shared/run-operations';
import { callDescription, callOperations } from './resources/call';

export class SwitchboardVoice implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Switchboard Voice',
		name: 'switchboardVoice',
		icon: { light: 'file:../../icons/switchboard.svg', dark: 'file:../../icons/switchboard.dark.svg' },
		group: ['output'],
		version: [1],
		subtitle: '={{$parameter["operation"] === "place" ? "Place a call" : "Get a call"}}',
		description: 'Place phone calls that speak a message, and look calls up',
		defaults: {
			name: 'Switchboard Voice',
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
				options: [{ name: 'Call', value: 'call' }],
				default: 'call',
			},
			tenantIdProperty,
			...callDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperations.call(this, { call: callOperations });
	}
}
