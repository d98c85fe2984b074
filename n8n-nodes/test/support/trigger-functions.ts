import type {
	IDataObject,
	IHookFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	IWebhookFunctions,
} from 'n8n-workflow';
import { switchboardNode } from './execute-functions';

// Stand-ins for the IHookFunctions (activation / deactivation) and IWebhookFunctions (a delivery)
// n8n hands to the Switchboard Trigger: parameters, static data, credentials, recorded requests.

export const WEBHOOK_URL = 'http://n8n.test:5678/webhook/5f0c1d2e-3a4b-4c5d-8e6f-0a1b2c3d4e01/webhook';
const triggerNode = { ...switchboardNode, name: 'Missed call', type: 'CUSTOM.switchboardTrigger' };
const credentials = { baseUrl: 'http://backend.test:4000', serviceToken: 't', signingSecret: '' };

export interface FakeHook {
	context: IHookFunctions;
	requests: IHttpRequestOptions[];
	staticData: IDataObject;
}

export function fakeHook(options: {
	parameters: IDataObject;
	staticData?: IDataObject;
	respond: (request: IHttpRequestOptions, callIndex: number) => IN8nHttpFullResponse;
}): FakeHook {
	const requests: IHttpRequestOptions[] = [];
	const staticData = options.staticData ?? {};
	const context = {
		getNode: () => triggerNode,
		getWorkflow: () => ({ id: 'sbAfterCall00001', name: 'Missed call follow-up', active: true }),
		getNodeWebhookUrl: () => WEBHOOK_URL,
		getWorkflowStaticData: () => staticData,
		getNodeParameter: (name: string, fallback?: unknown) => options.parameters[name] ?? fallback,
		getCredentials: async () => credentials,
		logger: { warn: () => undefined, info: () => undefined, debug: () => undefined, error: () => undefined },
		helpers: {
			httpRequestWithAuthentication: async (_type: string, request: IHttpRequestOptions) => {
				requests.push(request);
				return options.respond(request, requests.length - 1);
			},
		},
	};
	return { context: context as unknown as IHookFunctions, requests, staticData };
}

export interface FakeDelivery {
	context: IWebhookFunctions;
	response: { status?: number; body?: unknown };
}

export function fakeDelivery(options: {
	parameters: IDataObject;
	staticData: IDataObject;
	rawBody: string | undefined;
	headers: Record<string, string>;
	signingSecret?: string;
}): FakeDelivery {
	const response: FakeDelivery['response'] = {};
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			return res;
		},
	};
	const context = {
		getNode: () => triggerNode,
		getWorkflowStaticData: () => options.staticData,
		getNodeParameter: (name: string, fallback?: unknown) => options.parameters[name] ?? fallback,
		getCredentials: async () => ({ ...credentials, signingSecret: options.signingSecret ?? '' }),
		getRequestObject: () => ({
			rawBody: options.rawBody === undefined ? undefined : Buffer.from(options.rawBody),
		}),
		getHeaderData: () => options.headers,
		getBodyData: () => (options.rawBody ? JSON.parse(options.rawBody) : {}),
		getResponseObject: () => res,
	};
	return { context: context as unknown as IWebhookFunctions, response };
}
