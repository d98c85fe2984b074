import { expect } from 'chai';
import { SwitchboardTrigger } from '../nodes/SwitchboardTrigger/SwitchboardTrigger.node.ts';
import { matchesEventType } from '../nodes/SwitchboardTrigger/events';
import { signatureHeader, verifySignature } from '../nodes/shared/signature';
import { errorResponse, jsonResponse } from './support/execute-functions';
import { fakeDelivery, fakeHook, WEBHOOK_URL } from './support/trigger-functions';

const trigger = new SwitchboardTrigger();
const hooks = trigger.webhookMethods.default;
const tenantId = '2f6c1a4e-8b0d-4c6a-9e35-7d1f0b2a9c11';
const agencyWhoami = { kind: 'service', tokenId: 'tok', agencyId: 'ag', tenantId: null, actingForTenant: false, permissions: [] };
const created = (id: string, secret: string) =>
	jsonResponse(201, { subscription: { id, url: WEBHOOK_URL, eventTypes: ['call.missed'] }, secret });

describe('Switchboard Trigger, activation (webhookMethods)', () => {
	it('when activated with an agency token, then it subscribes its URL at agency level and keeps id and secret', async () => {
		const hook = fakeHook({
			parameters: { events: ['call.missed'], tenantId },
			respond: (request) => {
				if (request.url.endsWith('/whoami')) return jsonResponse(200, agencyWhoami);
				if (request.method === 'GET') return jsonResponse(200, { subscriptions: [] });
				return created('sub-1', (request.body as { secret: string }).secret);
			},
		});

		expect(await hooks.create.call(hook.context)).to.equal(true);

		const post = hook.requests.find((r) => r.method === 'POST')!;
		expect(post.url).to.equal('http://backend.test:4000/api/v1/agency/event-subscriptions');
		const body = post.body as { url: string; eventTypes: string[]; tenantId: string; secret: string };
		expect(body).to.include({ url: WEBHOOK_URL, tenantId });
		expect(body.eventTypes).to.deep.equal(['call.missed']);
		expect(body.secret).to.match(/^[A-Za-z0-9_-]{43}$/);
		expect(hook.staticData).to.deep.include({
			subscriptionId: 'sub-1',
			secret: body.secret,
			subscriptionPath: '/api/v1/agency/event-subscriptions',
		});
	});

	it('when activated with a tenant token, then it subscribes at tenant level without a tenant in the body', async () => {
		const hook = fakeHook({
			parameters: { events: ['message.received'] },
			respond: (request) => {
				if (request.url.endsWith('/whoami')) return jsonResponse(200, { ...agencyWhoami, tenantId });
				if (request.method === 'GET') return jsonResponse(200, { subscriptions: [] });
				return created('sub-2', 'generated-secret-0123456789');
			},
		});

		await hooks.create.call(hook.context);

		const post = hook.requests.find((r) => r.method === 'POST')!;
		expect(post.url).to.equal('http://backend.test:4000/api/v1/event-subscriptions');
		expect(post.body).to.not.have.property('tenantId');
	});

	it('when a subscription for the same URL was left behind, then it is deleted before subscribing again', async () => {
		const hook = fakeHook({
			parameters: { events: ['call.missed'] },
			respond: (request) => {
				if (request.url.endsWith('/whoami')) return jsonResponse(200, agencyWhoami);
				if (request.method === 'GET') {
					return jsonResponse(200, {
						subscriptions: [
							{ id: 'old', url: WEBHOOK_URL, eventTypes: ['call.missed'] },
							{ id: 'other', url: 'http://elsewhere/hook', eventTypes: ['*'] },
						],
					});
				}
				if (request.method === 'DELETE') return jsonResponse(204, undefined);
				return created('sub-3', 's'.repeat(20));
			},
		});

		await hooks.create.call(hook.context);

		const deletes = hook.requests.filter((r) => r.method === 'DELETE').map((r) => r.url);
		expect(deletes).to.deep.equal(['http://backend.test:4000/api/v1/agency/event-subscriptions/old']);
	});

	it('when no event is chosen, then activation fails with a clear message and nothing is created', async () => {
		const hook = fakeHook({ parameters: { events: [] }, respond: () => jsonResponse(200, {}) });

		let error: Error | undefined;
		try {
			await hooks.create.call(hook.context);
		} catch (thrown) {
			error = thrown as Error;
		}

		expect(error?.message).to.equal('Choose at least one event to listen to');
		expect(hook.requests).to.have.length(0);
	});

	it('when the stored subscription still exists with the same URL and events, then checkExists is true', async () => {
		const hook = fakeHook({
			parameters: { events: ['call.missed'] },
			staticData: { subscriptionId: 'sub-1', secret: 'x', subscriptionPath: '/api/v1/agency/event-subscriptions' },
			respond: () => jsonResponse(200, { subscriptions: [{ id: 'sub-1', url: WEBHOOK_URL, eventTypes: ['call.missed'] }] }),
		});

		expect(await hooks.checkExists.call(hook.context)).to.equal(true);
	});

	it('when the events changed since the subscription was made, then checkExists deletes it and answers false', async () => {
		const hook = fakeHook({
			parameters: { events: ['call.missed', 'call.completed'] },
			staticData: { subscriptionId: 'sub-1', secret: 'x', subscriptionPath: '/api/v1/agency/event-subscriptions' },
			respond: (request) =>
				request.method === 'GET'
					? jsonResponse(200, { subscriptions: [{ id: 'sub-1', url: WEBHOOK_URL, eventTypes: ['call.missed'] }] })
					: jsonResponse(204, undefined),
		});

		expect(await hooks.checkExists.call(hook.context)).to.equal(false);
		expect(hook.requests.map((r) => r.method)).to.deep.equal(['GET', 'DELETE']);
		expect(hook.staticData).to.deep.equal({});
	});

	it('when nothing is stored, then checkExists is false without asking the backend', async () => {
		const hook = fakeHook({ parameters: { events: ['call.missed'] }, respond: () => jsonResponse(200, {}) });

		expect(await hooks.checkExists.call(hook.context)).to.equal(false);
		expect(hook.requests).to.have.length(0);
	});

	it('when deactivated, then it deletes the subscription (a 404 counts as deleted) and forgets it', async () => {
		const hook = fakeHook({
			parameters: { events: ['call.missed'] },
			staticData: { subscriptionId: 'sub-1', secret: 'x', subscriptionPath: '/api/v1/event-subscriptions' },
			respond: () => errorResponse(404, 'NOT_FOUND', 'gone'),
		});

		expect(await hooks.delete.call(hook.context)).to.equal(true);
		expect(hook.requests[0]).to.include({ method: 'DELETE', url: 'http://backend.test:4000/api/v1/event-subscriptions/sub-1' });
		expect(hook.staticData).to.deep.equal({});
	});

	it('when deactivated while the backend fails, then it answers false and keeps the subscription to retry', async () => {
		const hook = fakeHook({
			parameters: { events: ['call.missed'] },
			staticData: { subscriptionId: 'sub-1', secret: 'x', subscriptionPath: '/api/v1/event-subscriptions' },
			respond: () => errorResponse(503, 'DEPENDENCY_UNAVAILABLE', 'down'),
		});

		expect(await hooks.delete.call(hook.context)).to.equal(false);
		expect(hook.staticData.subscriptionId).to.equal('sub-1');
	});
});

describe('Switchboard Trigger, deliveries (webhook)', () => {
	const subscriptionKey = ['subscription', 'key', 'for', 'tests'].join('-');
	const event = { id: 'ev-1', type: 'call.missed', agencyId: 'ag', tenantId, occurredAt: '2030-01-01T00:00:00Z', data: { callId: 'call-7', direction: 'inbound' } };
	const rawBody = JSON.stringify(event);
	const now = () => Math.floor(Date.now() / 1000);
	const deliver = (headers: Record<string, string>, parameters = { events: ['call.*'] }, body = rawBody) =>
		fakeDelivery({ parameters, staticData: { subscriptionId: 'sub-1', secret: subscriptionKey }, rawBody: body, headers });

	it('when the signature is valid, then the event starts the workflow as one item', async () => {
		const delivery = deliver({ 'x-switchboard-signature': signatureHeader(subscriptionKey, now(), rawBody) });

		const result = await trigger.webhook.call(delivery.context);

		expect(result.workflowData).to.deep.equal([[{ json: event }]]);
		expect(delivery.response.status).to.equal(undefined);
	});

	it('when one of several v1 signatures matches (secret rotation), then it is accepted', async () => {
		const t = now();
		const header = `t=${t},v1=${'0'.repeat(64)},v1=${signatureHeader(subscriptionKey, t, rawBody).split('v1=')[1]}`;

		const result = await trigger.webhook.call(deliver({ 'x-switchboard-signature': header }).context);

		expect(result.workflowData).to.have.length(1);
	});

	for (const [situation, header, reason] of [
		['signed with another secret', () => signatureHeader(['another', 'key'].join('-'), now(), rawBody), 'mismatch'],
		['older than 5 minutes', () => signatureHeader(subscriptionKey, now() - 301, rawBody), 'stale'],
		['from more than 5 minutes in the future', () => signatureHeader(subscriptionKey, now() + 301, rawBody), 'stale'],
		['unsigned', () => '', 'missing'],
		['garbled', () => 't=abc,v1=xyz', 'malformed'],
	] as const) {
		it(`when the delivery is ${situation}, then it answers 401 and starts nothing`, async () => {
			const value = header();
			const delivery = deliver(value ? { 'x-switchboard-signature': value } : {});

			const result = await trigger.webhook.call(delivery.context);

			expect(result).to.deep.equal({ noWebhookResponse: true });
			expect(delivery.response).to.deep.equal({ status: 401, body: { error: `Invalid signature (${reason})` } });
		});
	}

	it('when the body was changed after signing, then it answers 401', async () => {
		const header = signatureHeader(subscriptionKey, now(), rawBody);
		const delivery = deliver({ 'x-switchboard-signature': header }, { events: ['call.*'] }, rawBody.replace('call-7', 'call-8'));

		expect(await trigger.webhook.call(delivery.context)).to.deep.equal({ noWebhookResponse: true });
		expect(delivery.response.status).to.equal(401);
	});

	it('when the event type is not selected, then it is acknowledged but starts nothing', async () => {
		const delivery = deliver({ 'x-switchboard-signature': signatureHeader(subscriptionKey, now(), rawBody) }, { events: ['message.received'] });

		const result = await trigger.webhook.call(delivery.context);

		expect(result.workflowData).to.equal(undefined);
		expect(result.webhookResponse).to.deep.include({ received: true });
	});

	it('when the trigger has no secret at all, then deliveries are refused', async () => {
		const delivery = fakeDelivery({
			parameters: { events: ['call.*'] },
			staticData: {},
			rawBody,
			headers: { 'x-switchboard-signature': signatureHeader(subscriptionKey, now(), rawBody) },
		});

		await trigger.webhook.call(delivery.context);

		expect(delivery.response.status).to.equal(401);
	});

	it('when verifying, then the tolerance boundary is inclusive at exactly 300 seconds', () => {
		const t = 1_900_000_000;
		expect(verifySignature(subscriptionKey, signatureHeader(subscriptionKey, t, 'x'), 'x', t + 300)).to.deep.equal({ valid: true });
		expect(verifySignature(subscriptionKey, signatureHeader(subscriptionKey, t, 'x'), 'x', t + 301).valid).to.equal(false);
	});

	it('matches event patterns like the backend: exact, booking.* and *', () => {
		expect(matchesEventType(['booking.*'], 'booking.slot.held')).to.equal(true);
		expect(matchesEventType(['call.missed'], 'call.completed')).to.equal(false);
		expect(matchesEventType(['*'], 'payment.link_paid')).to.equal(true);
	});
});
