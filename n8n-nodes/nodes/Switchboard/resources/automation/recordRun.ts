import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { itemRequest, stringParameter } from '../../../shared/descriptions';

const showFor = { show: { resource: ['automation'], operation: ['recordRun'] } };

export const recordRunDescription: INodeProperties[] = [
	{
		displayName: 'Tenant ID',
		name: 'tenantId',
		type: 'string',
		required: true,
		displayOptions: showFor,
		default: '',
		placeholder: 'e.g. {{ $json.tenantId }}',
		description: 'The tenant the execution works for (the tenantId of the triggering event)',
	},
	{
		displayName: 'Event ID',
		name: 'eventId',
		type: 'string',
		displayOptions: showFor,
		default: '',
		description: 'The Switchboard event that started this execution (the trigger output\'s ID)',
	},
	{
		displayName: 'Call ID',
		name: 'callId',
		type: 'string',
		displayOptions: showFor,
		default: '',
		description: 'The call this execution follows up, if any: a failure is then shown on that call',
	},
	{
		displayName: 'Contact ID',
		name: 'contactId',
		type: 'string',
		displayOptions: showFor,
		default: '',
	},
	{
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		displayOptions: showFor,
		default: '',
	},
];

/**
 * POST /api/v1/automation-runs: this execution says what it works on. n8n's error workflow only knows the
 * failed execution's id; with this record Switchboard shows the failure on the call and counts it for the tenant.
 * The input item passes through, so the node can sit right after the trigger.
 */
export async function recordRun(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	if (!stringParameter.call(this, 'tenantId', itemIndex)) {
		throw new NodeOperationError(this.getNode(), 'Tenant ID is empty', { itemIndex });
	}
	const workflow = this.getWorkflow();
	const optional = (name: string) => stringParameter.call(this, name, itemIndex) || undefined;
	const run = await itemRequest.call(this, itemIndex, {
		method: 'POST',
		path: '/api/v1/automation-runs',
		body: {
			workflowId: String(workflow.id ?? 'unsaved'),
			workflowName: workflow.name ?? null,
			executionId: String(this.getExecutionId()),
			eventId: optional('eventId'),
			callId: optional('callId'),
			contactId: optional('contactId'),
			messageId: optional('messageId'),
		},
	});
	return { ...this.getInputData()[itemIndex].json, automationRun: run as IDataObject };
}
