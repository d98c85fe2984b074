import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';
import { SIGNATURE_HEADER, verifySignature } from '../shared/signature';
import { matchesEventType } from './events';
import type { SubscriptionState } from './subscription';

interface SwitchboardEvent extends IDataObject {
	id: string;
	type: string;
	tenantId: string;
}

function reject(this: IWebhookFunctions, status: number, message: string): IWebhookResponseData {
	this.getResponseObject().status(status).json({ error: message });
	return { noWebhookResponse: true };
}

function ignore(reason: string): IWebhookResponseData {
	return { webhookResponse: { received: true, ignored: reason } };
}

/**
 * One delivery from the backend: the signature (over the raw body, within 5 minutes) must be made
 * with this subscription's secret; a bad one gets 401 and starts nothing. A valid event starts the
 * workflow with the event as its item: { id, type, agencyId, tenantId, occurredAt, data }.
 */
export async function receiveEvent(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const state = this.getWorkflowStaticData('node') as SubscriptionState;
	const { signingSecret } = await this.getCredentials<{ signingSecret?: string }>('switchboardApi');
	// The subscription's own secret; the credential's shared secret only for subscriptions made by hand.
	const secret = state.secret || signingSecret;
	if (!secret) return reject.call(this, 401, 'This trigger has no signing secret: re-activate the workflow');

	const request = this.getRequestObject();
	const rawBody = request.rawBody;
	if (!rawBody) return reject.call(this, 400, 'Empty body');
	const header = this.getHeaderData()[SIGNATURE_HEADER];
	const check = verifySignature(
		secret,
		Array.isArray(header) ? header.join(',') : header,
		rawBody,
		Math.floor(Date.now() / 1000),
	);
	if (!check.valid) return reject.call(this, 401, `Invalid signature (${check.reason})`);

	const event = this.getBodyData() as SwitchboardEvent;
	const events = this.getNodeParameter('events', []) as string[];
	if (typeof event.type !== 'string' || !matchesEventType(events, event.type)) {
		return ignore(`event type ${String(event.type)} is not selected`);
	}
	const tenantFilter = ((this.getNodeParameter('tenantId', '') as string) || '').trim();
	if (tenantFilter && event.tenantId !== tenantFilter) return ignore('other tenant');

	return { workflowData: [[{ json: event }]] };
}
