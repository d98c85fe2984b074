import type { IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { OperationRegistry } from './types';

/**
 * The execute() of every Switchboard action node: for each input item, look up the handler of the
 * chosen resource and operation, run it, and pair its output with the item. A failing item either
 * fails the node (with the item's index) or, with "Continue On Fail", becomes `{ error }`.
 */
export async function runOperations(
	this: IExecuteFunctions,
	operations: OperationRegistry,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const returnData: INodeExecutionData[] = [];

	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const resource = this.getNodeParameter('resource', itemIndex) as string;
			const operation = this.getNodeParameter('operation', itemIndex) as string;
			const handler = operations[resource]?.[operation];
			if (!handler) {
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operation}" is not supported for the resource "${resource}"`,
					{ itemIndex },
				);
			}
			const result = await handler.call(this, itemIndex);
			for (const json of Array.isArray(result) ? result : [result]) {
				returnData.push({ json, pairedItem: { item: itemIndex } });
			}
		} catch (error) {
			if (this.continueOnFail()) {
				returnData.push({
					json: { error: (error as Error).message, ...errorDetails(error) },
					pairedItem: { item: itemIndex },
				});
				continue;
			}
			// Handlers throw NodeApiError/NodeOperationError with itemIndex already set; both
			// constructors hand such an error back unchanged, anything else gets wrapped here.
			if (error instanceof NodeApiError) {
				error.context.itemIndex ??= itemIndex;
				throw new NodeApiError(this.getNode(), error as unknown as JsonObject, { itemIndex });
			}
			throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
		}
	}

	return [returnData];
}

/** What a workflow can branch on after "Continue On Fail": the HTTP status and the backend's error code. */
function errorDetails(error: unknown): { httpCode?: string; code?: string } {
	if (!(error instanceof NodeApiError)) return {};
	const code = (error.errorResponse as { error?: { code?: unknown } } | undefined)?.error?.code;
	return {
		...(error.httpCode ? { httpCode: error.httpCode } : {}),
		...(typeof code === 'string' ? { code } : {}),
	};
}
