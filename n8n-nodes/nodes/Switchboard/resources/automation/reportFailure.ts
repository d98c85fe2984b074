import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { switchboardApiRequest } from '../../../shared/transport';

export const reportFailureDescription: INodeProperties[] = [
	{
		displayName:
			'Put this node right after an Error Trigger: it reports the failed execution (workflow, execution, node, error) to Switchboard, which shows it on the call or contact the execution recorded and counts it in the agency\'s failures.',
		name: 'reportFailureNotice',
		type: 'notice',
		displayOptions: { show: { resource: ['automation'], operation: ['reportFailure'] } },
		default: '',
	},
];

interface ErrorTriggerItem {
	execution?: { id?: string | number; url?: string; lastNodeExecuted?: string; error?: { message?: string; description?: string } };
	trigger?: { error?: { message?: string } };
	workflow?: { id?: string | number; name?: string };
}

/** POST /api/v1/agency/automation-failures with what n8n's Error Trigger hands over. */
export async function reportFailure(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const item = this.getInputData()[itemIndex].json as ErrorTriggerItem;
	const workflowId = item.workflow?.id;
	if (workflowId === undefined || workflowId === null) {
		throw new NodeOperationError(this.getNode(), 'The input is not an Error Trigger item (no workflow.id)', { itemIndex });
	}
	const error = item.execution?.error ?? item.trigger?.error;
	const message = [error?.message, (error as { description?: string } | undefined)?.description]
		.filter((part): part is string => typeof part === 'string' && part.trim().length > 0)
		.join(' — ');
	const url = item.execution?.url;
	return (await switchboardApiRequest.call(
		this,
		{
			method: 'POST',
			path: '/api/v1/agency/automation-failures',
			body: {
				workflowId: String(workflowId),
				workflowName: item.workflow?.name ?? null,
				executionId: item.execution?.id !== undefined ? String(item.execution.id) : null,
				executionUrl: typeof url === 'string' && /^https?:\/\//.test(url) ? url : null,
				node: item.execution?.lastNodeExecuted ?? null,
				errorMessage: message || 'The execution failed without an error message',
			},
		},
		itemIndex,
	)) as IDataObject;
}
