import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INode,
	INodeExecutionData,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

// A stand-in for the IExecuteFunctions n8n hands to execute(): only what our nodes touch,
// with every outgoing request recorded so tests can assert on it.
export interface FakeExecution {
	context: IExecuteFunctions;
	requests: Array<{ credentialType: string; options: IHttpRequestOptions }>;
}

export interface FakeExecutionOptions {
	/** Node parameters, the same for every item, or per item. Dotted names reach into collections. */
	parameters: IDataObject | ((itemIndex: number) => IDataObject);
	items?: INodeExecutionData[];
	credentials?: IDataObject;
	continueOnFail?: boolean;
	executionId?: string;
	node?: Partial<INode>;
	/** Answers each request, or throws the way n8n's HTTP helper does when nothing answers. */
	respond: (options: IHttpRequestOptions, callIndex: number) => IN8nHttpFullResponse;
}

export const switchboardNode: INode = {
	id: '6f1c2a9e-0000-4000-8000-000000000001',
	name: 'Check backend status',
	type: 'CUSTOM.switchboard',
	typeVersion: 1,
	position: [0, 0],
	parameters: {},
};

export function fakeExecution(options: FakeExecutionOptions): FakeExecution {
	const requests: FakeExecution['requests'] = [];
	const items = options.items ?? [{ json: {} }];
	const credentials = options.credentials ?? {
		baseUrl: 'http://backend.test:4000',
		serviceToken: 'service-token',
		signingSecret: 'signing-secret',
	};

	const node = { ...switchboardNode, ...options.node };
	const context = {
		getInputData: () => items,
		getNode: () => node,
		getExecutionId: () => options.executionId ?? '1042',
		continueOnFail: () => options.continueOnFail ?? false,
		getNodeParameter: (name: string, itemIndex: number, fallback?: unknown) => {
			const parameters =
				typeof options.parameters === 'function' ? options.parameters(itemIndex) : options.parameters;
			const value = lookup(parameters, name);
			if (value !== undefined) return value;
			if (fallback !== undefined) return fallback;
			throw new Error(`Could not get parameter "${name}"`);
		},
		getCredentials: async () => credentials,
		helpers: {
			httpRequestWithAuthentication: async (
				credentialType: string,
				requestOptions: IHttpRequestOptions,
			) => {
				requests.push({ credentialType, options: requestOptions });
				return options.respond(requestOptions, requests.length - 1);
			},
		},
	};

	return { context: context as unknown as IExecuteFunctions, requests };
}

/** `a.b` reads parameters.a.b, like n8n's getNodeParameter('templateVariables.variable'). */
function lookup(parameters: IDataObject, name: string): unknown {
	if (name in parameters) return parameters[name];
	return name.split('.').reduce<unknown>(
		(value, key) => (value && typeof value === 'object' ? (value as IDataObject)[key] : undefined),
		parameters,
	);
}

export function jsonResponse(statusCode: number, body: unknown): IN8nHttpFullResponse {
	return { statusCode, headers: { 'content-type': 'application/json' }, body: body as IDataObject };
}

/**
 * What n8n's httpRequestWithAuthentication throws when the backend port is closed: the axios
 * error wrapped in a NodeApiError (n8n-core 2.40, request-helpers/authentication.ts).
 */
export function connectionRefused(url: string): NodeApiError {
	const axiosError = Object.assign(new Error(`connect ECONNREFUSED ${new URL(url).host}`), {
		code: 'ECONNREFUSED',
	});
	return new NodeApiError(switchboardNode, axiosError as unknown as JsonObject);
}

/** The backend's error body, as docs/n8n-api.md describes it. */
export function errorResponse(statusCode: number, code: string, message: string, details?: unknown) {
	return jsonResponse(statusCode, { error: { code, message, ...(details ? { details } : {}) } });
}

/** Runs execute() and returns the error it throws (fails the test when it does not throw). */
export async function expectError(run: () => Promise<unknown>): Promise<Error> {
	try {
		await run();
	} catch (error) {
		return error as Error;
	}
	throw new Error('expected the node to throw');
}
