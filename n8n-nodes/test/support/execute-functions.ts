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
	/** Node parameters, the same for every item. */
	parameters: IDataObject;
	items?: INodeExecutionData[];
	credentials?: IDataObject;
	continueOnFail?: boolean;
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

	const context = {
		getInputData: () => items,
		getNode: () => switchboardNode,
		continueOnFail: () => options.continueOnFail ?? false,
		getNodeParameter: (name: string, _itemIndex: number, fallback?: unknown) => {
			if (name in options.parameters) return options.parameters[name];
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
