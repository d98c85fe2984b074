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

/** Lets an agency-wide service token act for one tenant (backend: service-tokens/bearer-authentication.ts). */
export const TENANT_HEADER = 'X-Switchboard-Tenant';

const REQUEST_TIMEOUT_MS = 10_000;

type SwitchboardContext = IExecuteFunctions | ILoadOptionsFunctions | IHookFunctions;

export interface SwitchboardRequest {
	method: IHttpRequestMethods;
	/** Path on the backend, starting with a slash, e.g. `/readyz` or `/api/v1/contacts`. */
	path: string;
	body?: IDataObject;
	qs?: IDataObject;
	headers?: Record<string, string>;
	/** Tenant to act for (agency tokens); sent as X-Switchboard-Tenant. Empty: the token's own scope. */
	tenantId?: string;
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
		headers: {
			...request.headers,
			...(request.tenantId ? { [TENANT_HEADER]: request.tenantId } : {}),
		},
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
	throw apiError.call(this, request, response, itemIndex);
}

/**
 * The NodeApiError for a non-2xx answer. The backend's error body is `{ error: { code, message, details } }`;
 * its message and code lead, so the operator reads "CONSENT_REQUIRED: ..." rather than a bare status.
 */
export function apiError(
	this: SwitchboardContext,
	request: SwitchboardRequest,
	response: SwitchboardResponse,
	itemIndex?: number,
): NodeApiError {
	const body = toJsonObject(response.body);
	const error = (body.error ?? {}) as { code?: unknown; message?: unknown; details?: unknown };
	const summary =
		typeof error.message === 'string'
			? `${typeof error.code === 'string' ? `${error.code}: ` : ''}${error.message}`
			: undefined;
	return new NodeApiError(this.getNode(), body, {
		httpCode: String(response.statusCode),
		message: `Switchboard answered ${request.method} ${request.path} with HTTP ${response.statusCode}${summary ? ` (${summary})` : ''}`,
		description: describeError(response.statusCode, error.details),
		itemIndex,
	});
}

function describeError(statusCode: number, details: unknown): string | undefined {
	const detailText = details === undefined ? '' : ` Details: ${JSON.stringify(details)}`;
	if (statusCode === 401) return `Check the Service Token of the Switchboard API credential.${detailText}`;
	if (statusCode === 403) {
		return `The service token may not do this, or the Tenant ID is not one it may act for.${detailText}`;
	}
	return detailText ? detailText.trim() : undefined;
}

export function toJsonObject(body: unknown): JsonObject {
	if (typeof body === 'object' && body !== null && !Array.isArray(body)) {
		return body as JsonObject;
	}
	return { body: body === undefined ? null : (body as JsonObject[keyof JsonObject]) };
}
