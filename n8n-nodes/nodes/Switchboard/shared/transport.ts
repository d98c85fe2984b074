import type {
	IDataObject,
	IExecuteFunctions,
	IHookFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

export const SWITCHBOARD_CREDENTIAL_TYPE = 'switchboardApi';

const REQUEST_TIMEOUT_MS = 10_000;

type SwitchboardContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions;

export interface SwitchboardRequest {
	method: IHttpRequestMethods;
	/** Path on the backend, starting with a slash, e.g. `/readyz` or `/api/v1/contacts`. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
}

export interface SwitchboardResponse {
	statusCode: number;
	body: unknown;
}

interface SwitchboardCredentials {
	baseUrl: string;
}

export function joinUrl(baseUrl: string, path: string): string {
	return `${baseUrl.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}

/**
 * Sends one authenticated request to the backend and returns its status and body whatever the
 * HTTP status, so callers decide which statuses are answers (e.g. 503 from /readyz).
 * Throws a NodeOperationError only when no HTTP answer arrives: connection refused, DNS, timeout.
 */
export async function sendSwitchboardRequest(
	this: SwitchboardContext,
	request: SwitchboardRequest,
	itemIndex?: number,
): Promise<SwitchboardResponse> {
	const { baseUrl } = await this.getCredentials<SwitchboardCredentials>(SWITCHBOARD_CREDENTIAL_TYPE);
	const options: IHttpRequestOptions = {
		method: request.method,
		url: joinUrl(baseUrl, request.path),
		qs: request.qs,
		body: request.body,
		json: true,
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		timeout: REQUEST_TIMEOUT_MS,
	};
	let response: IN8nHttpFullResponse;
	try {
		response = (await this.helpers.httpRequestWithAuthentication.call(
			this,
			SWITCHBOARD_CREDENTIAL_TYPE,
			options,
		)) as IN8nHttpFullResponse;
	} catch (error) {
		// n8n rewrites well-known causes (ECONNREFUSED, ENOTFOUND, ...) into a friendly message and
		// keeps ours in error.messages; the description says where we tried to connect.
		throw new NodeOperationError(
			this.getNode(),
			`Could not reach the Switchboard backend: ${(error as Error).message}`,
			{
				itemIndex,
				description: `Tried ${options.url}. Check the Base URL of the Switchboard API credential and that the backend is running.`,
			},
		);
	}
	return { statusCode: response.statusCode, body: response.body };
}

/** Like sendSwitchboardRequest, but any non-2xx answer becomes a NodeApiError carrying the backend's body. */
export async function switchboardApiRequest(
	this: SwitchboardContext,
	request: SwitchboardRequest,
	itemIndex?: number,
): Promise<unknown> {
	const response = await sendSwitchboardRequest.call(this, request, itemIndex);
	if (response.statusCode >= 200 && response.statusCode < 300) {
		return response.body;
	}
	throw new NodeApiError(this.getNode(), toJsonObject(response.body), {
		httpCode: String(response.statusCode),
		message: `Switchboard answered ${request.method} ${request.path} with HTTP ${response.statusCode}`,
		itemIndex,
	});
}

export function toJsonObject(body: unknown): JsonObject {
	if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
		return body as JsonObject;
	}
	return { body: body === undefined ? null : (body as JsonObject[keyof JsonObject]) };
}
