import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';
import { sendSwitchboardRequest, toJsonObject } from '../../../shared/transport';

// No parameters yet; kept so every operation exports the same pair (description + handler).
export const getStatusDescription: INodeProperties[] = [];

/**
 * GET /readyz. A 503 is an answer too ("not ready"), so it is returned with `ready: false`
 * instead of failing the workflow; only an unreachable backend (NodeOperationError, from the
 * transport) or an unexpected status (NodeApiError) throws.
 */
export async function getStatus(this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
	const response = await sendSwitchboardRequest.call(
		this,
		{ method: 'GET', path: '/readyz' },
		itemIndex,
	);

	if (response.statusCode === 200 || response.statusCode === 503) {
		return {
			...toJsonObject(response.body),
			ready: response.statusCode === 200,
			httpStatus: response.statusCode,
		};
	}
	throw new NodeApiError(this.getNode(), toJsonObject(response.body), {
		itemIndex,
		httpCode: String(response.statusCode),
		message: `Unexpected answer from the Switchboard backend's /readyz: HTTP ${response.statusCode}`,
	});
}
