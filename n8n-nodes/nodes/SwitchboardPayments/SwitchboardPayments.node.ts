import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';
import { tenantIdProperty } from '../shared/descriptions';
import { runOperations } from '../shared/run-operations';
import { paymentLinkDescription, paymentLinkOperations } from './resources/paymentLink';

export class SwitchboardPayments implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Switchboard Payments',
		name: 'switchboardPayments',
		icon: { light: 'file:../../icons/switchboard.svg', dark: 'file:../../icons/switchboard.dark.svg' },
		group: ['output'],
		version: [1],
		subtitle: '={{$parameter["operation"] + ": payment link"}}',
		description: "Create Stripe payment links with the tenant's (or the agency's) Stripe account, and check them",
		defaults: {
			name: 'Switchboard Payments',
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
				options: [{ name: 'Payment Link', value: 'paymentLink' }],
				default: 'paymentLink',
			},
			tenantIdProperty,
			...paymentLinkDescription,
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await runOperations.call(this, { paymentLink: paymentLinkOperations });
	}
}
