import { randomBytes } from 'crypto';
import type { IDataObject, IHookFunctions } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import { sendSwitchboardRequest, switchboardApiRequest, toJsonObject } from '../shared/transport';

// The trigger's life cycle on the backend: one event subscription per active workflow (per trigger
// node), created at activation and deleted at deactivation. Its id and signing secret live in the
// node's static data, which n8n stores with the workflow.

export interface SubscriptionState {
	subscriptionId?: string;
	secret?: string;
	subscriptionPath?: string;
	eventTypes?: string[];
}

interface Whoami {
	tenantId: string | null;
	actingForTenant?: boolean;
}

interface SubscriptionView {
	id: string;
	url: string;
	eventTypes: string[];
	tenantId: string | null;
}

const TENANT_PATH = '/api/v1/event-subscriptions';
const AGENCY_PATH = '/api/v1/agency/event-subscriptions';

export function subscriptionState(this: IHookFunctions): SubscriptionState & IDataObject {
	return this.getWorkflowStaticData('node') as SubscriptionState & IDataObject;
}

function selectedEvents(this: IHookFunctions): string[] {
	return this.getNodeParameter('events', []) as string[];
}

function webhookUrl(this: IHookFunctions): string {
	const url = this.getNodeWebhookUrl('default');
	if (!url) throw new NodeOperationError(this.getNode(), 'n8n gave this trigger no webhook URL');
	return url;
}

/**
 * A tenant token subscribes to its own tenant's events; an agency token subscribes at agency level,
 * to every tenant's events or (with the Tenant ID filter) to one tenant's.
 */
async function subscriptionTarget(
	this: IHookFunctions,
): Promise<{ path: string; tenantFilter?: string }> {
	const whoami = (await switchboardApiRequest.call(this, {
		method: 'GET',
		path: '/api/v1/service/whoami',
	})) as Whoami;
	const tenantFilter = ((this.getNodeParameter('tenantId', '') as string) || '').trim();
	if (whoami.tenantId && !whoami.actingForTenant) {
		if (tenantFilter && tenantFilter !== whoami.tenantId) {
			throw new NodeOperationError(
				this.getNode(),
				`The Tenant ID filter (${tenantFilter}) is not the tenant of this service token (${whoami.tenantId})`,
				{ description: 'A tenant token only receives its own events. Clear the filter or use an agency token.' },
			);
		}
		return { path: TENANT_PATH };
	}
	return { path: AGENCY_PATH, ...(tenantFilter ? { tenantFilter } : {}) };
}

async function listSubscriptions(this: IHookFunctions, path: string): Promise<SubscriptionView[]> {
	const body = (await switchboardApiRequest.call(this, { method: 'GET', path })) as {
		subscriptions?: SubscriptionView[];
	};
	return body.subscriptions ?? [];
}

async function deleteSubscription(this: IHookFunctions, path: string, id: string): Promise<void> {
	const response = await sendSwitchboardRequest.call(this, { method: 'DELETE', path: `${path}/${id}` });
	// 404: already gone (deleted in the portal, or a previous deactivation got that far).
	if (response.statusCode === 404 || (response.statusCode >= 200 && response.statusCode < 300)) return;
	throw new NodeApiError(this.getNode(), toJsonObject(response.body), {
		httpCode: String(response.statusCode),
		message: `Switchboard refused to delete event subscription ${id}: HTTP ${response.statusCode}`,
	});
}

function forget(state: SubscriptionState & IDataObject): void {
	delete state.subscriptionId;
	delete state.secret;
	delete state.subscriptionPath;
	delete state.eventTypes;
}

/** True when the subscription in static data still exists with this URL and these events. */
export async function subscriptionExists(this: IHookFunctions): Promise<boolean> {
	const state = subscriptionState.call(this);
	if (!state.subscriptionId || !state.subscriptionPath) return false;
	const url = webhookUrl.call(this);
	const wanted = [...selectedEvents.call(this)].sort().join(',');
	const found = (await listSubscriptions.call(this, state.subscriptionPath)).find(
		(subscription) => subscription.id === state.subscriptionId,
	);
	if (found && found.url === url && [...found.eventTypes].sort().join(',') === wanted) return true;
	if (found) await deleteSubscription.call(this, state.subscriptionPath, found.id);
	forget(state);
	return false;
}

/**
 * Subscribes this trigger's webhook URL. Subscriptions left behind for the same URL (e.g. the workflow
 * was re-imported, which drops its static data) are deleted first, so events are never delivered twice.
 */
export async function createSubscription(this: IHookFunctions): Promise<boolean> {
	const eventTypes = selectedEvents.call(this);
	if (eventTypes.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Choose at least one event to listen to');
	}
	const url = webhookUrl.call(this);
	const { path, tenantFilter } = await subscriptionTarget.call(this);
	for (const stale of await listSubscriptions.call(this, path)) {
		if (stale.url === url) await deleteSubscription.call(this, path, stale.id);
	}
	const workflow = this.getWorkflow();
	const secret = randomBytes(32).toString('base64url');
	const created = (await switchboardApiRequest.call(this, {
		method: 'POST',
		path,
		body: {
			url,
			eventTypes,
			secret,
			description: `n8n workflow "${workflow.name ?? workflow.id}" (${workflow.id}), node "${this.getNode().name}"`.slice(0, 200),
			...(tenantFilter ? { tenantId: tenantFilter } : {}),
		},
	})) as { subscription?: { id?: string }; secret?: string };
	const id = created.subscription?.id;
	if (!id) {
		throw new NodeOperationError(this.getNode(), 'The backend did not return the new subscription id');
	}
	const state = subscriptionState.call(this);
	state.subscriptionId = id;
	state.secret = created.secret ?? secret;
	state.subscriptionPath = path;
	state.eventTypes = eventTypes;
	return true;
}

/**
 * Deletes the subscription. When the backend cannot be reached the static data is kept and false is
 * returned (n8n then logs it): the next activation finds the subscription again, or deletes it by URL.
 */
export async function removeSubscription(this: IHookFunctions): Promise<boolean> {
	const state = subscriptionState.call(this);
	if (state.subscriptionId && state.subscriptionPath) {
		try {
			await deleteSubscription.call(this, state.subscriptionPath, state.subscriptionId);
		} catch (error) {
			this.logger.warn(
				`Switchboard Trigger: could not delete event subscription ${state.subscriptionId}: ${(error as Error).message}`,
			);
			return false;
		}
	}
	forget(state);
	return true;
}
