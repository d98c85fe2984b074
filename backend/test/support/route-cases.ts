import { randomUUID } from 'node:crypto';
import { QueryTypes, type Sequelize } from 'sequelize';
import { newOneTimeToken } from '../../src/modules/auth/one-time-token.js';
import type { Permission, Role } from '../../src/modules/auth/permissions.js';
import type { Principal } from '../../src/modules/auth/principal.js';
import { formatToken, newSecret } from '../../src/modules/service-tokens/token-secret.js';
import { createMember } from './accounts-world.js';
import { createPerson } from './identity-world.js';
import { freshUsNumber, insertCallLog, twilioCredentialsBody } from './telephony-world.js';
import { DEFAULT_SETTINGS_BODY, freshPhone, insertContact, insertConversationMessage } from './messaging-world.js';
import { providerFakes } from './provider-fakes.js';
import { whatsappCloudBody } from './telephony-world.js';
import { insertPaymentLink } from './workflow-world.js';
import { insertBooking, insertBookingService, openAroundTheClock, nextFreeStart } from './booking-world.js';
import { insertAgentRow } from './agent-world.js';
import { aiProviderBody, insertAiProvider } from './ai-provider-world.js';
import { issueSessionToken } from '../../src/modules/web-chat/chat-session-token.js';
import { testEncryptionKey } from './env.js';
import { insertParkedInbound } from './system-health-world.js';
import { PLAN_ROUTE_CASES } from './plans-world.js';
import { SUBSCRIPTION_ROUTE_CASES } from './subscriptions-world.js';
import { openSignup, SELF_SIGNUP_ROUTE_CASES } from './self-signup-world.js';

/** Ids a request may aim at: those of the caller's own tenant, or (cross-tenant matrix) someone else's. */
export type Target = { agencyId: string; tenantId: string };
export type CaseRequest = { params?: Record<string, string>; query?: Record<string, string>; body?: unknown };
export type RouteCase = (db: Sequelize, target: Target) => Promise<CaseRequest>;

/** Inserts a live token (beneath RLS) and returns its full bearer value. */
export async function insertToken(
  db: Sequelize,
  input: { agencyId: string; tenantId: string | null; permissions: readonly Permission[]; revoked?: boolean },
): Promise<{ id: string; token: string }> {
  const { secret, secretHash } = newSecret();
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO service_tokens (agency_id, tenant_id, name, permissions, secret_hash, created_by_type, created_by_id, revoked_at)
     VALUES (:agencyId, :tenantId, :name, CAST(ARRAY[:permissions] AS text[]), :secretHash, 'system', 'test', :revokedAt) RETURNING id`,
    {
      replacements: { ...input, name: `token ${randomUUID().slice(0, 6)}`, secretHash, revokedAt: input.revoked ? new Date().toISOString() : null },
      type: QueryTypes.SELECT,
    },
  );
  return { id: row!.id, token: formatToken(row!.id, secret) };
}

/** A pending invitation (beneath RLS) and the token that accepts it. */
export async function insertInvitation(
  db: Sequelize,
  input: { agencyId: string; tenantId: string | null; role: Role; email?: string },
): Promise<{ id: string; token: string; email: string }> {
  const { token, hash } = newOneTimeToken();
  const email = input.email ?? `invitee-${randomUUID().slice(0, 8)}@example.test`;
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO invitations (agency_id, tenant_id, email, role, token_hash, expires_at)
     VALUES (:agencyId, :tenantId, :email, :role, :hash, now() + interval '1 day') RETURNING id`,
    { replacements: { ...input, email, hash }, type: QueryTypes.SELECT },
  );
  return { id: row!.id, token, email };
}

/** A live password reset token for the user. */
export async function insertResetToken(db: Sequelize, userId: string): Promise<string> {
  const { token, hash } = newOneTimeToken();
  await db.query(`INSERT INTO password_reset_tokens (user_id, token_hash, expires_at) VALUES (:userId, :hash, now() + interval '1 hour')`, {
    replacements: { userId, hash },
  });
  return token;
}

const freshInvitation = async (db: Sequelize, t: Target) => insertInvitation(db, { agencyId: t.agencyId, tenantId: t.tenantId, role: 'tenant_member' });
const freshSubscription = async (db: Sequelize, t: Target) => {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO event_subscriptions (agency_id, tenant_id, url, secret_encrypted, event_types, created_by_type, created_by_id)
     VALUES (:agencyId, :tenantId, 'https://hooks.example.test/in', 'v1.x.y.z', ARRAY['*'], 'system', 'test') RETURNING id`,
    { replacements: t, type: QueryTypes.SELECT },
  );
  return { subscriptionId: row!.id };
};
const freshMembership = async (db: Sequelize, t: Target) =>
  ({ membershipId: (await createMember(db, { agencyId: t.agencyId, tenantId: t.tenantId, role: 'tenant_member' })).membershipId });
const freshToken = async (db: Sequelize, t: Target) =>
  ({ tokenId: (await insertToken(db, { agencyId: t.agencyId, tenantId: t.tenantId, permissions: ['tenant.read'] })).id });
const slug = () => `m-${randomUUID().slice(0, 8)}`;

/**
 * A valid request for EVERY declared route, aimed at `target`. The matrices fail on a route missing
 * here, so a new route cannot skip them.
 */
export const ROUTE_CASES: Record<string, RouteCase> = {
  // public: sign-in, password reset, invitation tokens (Google: the test app has dummy credentials; nothing leaves the machine)
  'get /api/v1/auth/csrf': async () => ({}),
  'post /api/v1/auth/login': async (db, t) => {
    const person = await createPerson(db, [{ agencyId: t.agencyId, tenantId: t.tenantId, role: 'tenant_member' }]);
    return { body: { email: person.email, password: person.password } };
  },
  'post /api/v1/auth/password-reset/request': async () => ({ body: { email: `nobody-${randomUUID().slice(0, 8)}@example.test` } }),
  'post /api/v1/auth/password-reset/confirm': async (db, t) => {
    const person = await createPerson(db, [{ agencyId: t.agencyId, tenantId: t.tenantId, role: 'tenant_member' }]);
    return { body: { token: await insertResetToken(db, person.id), password: 'a new password for the matrix' } };
  },
  'get /api/v1/auth/google': async () => ({}),
  'get /api/v1/auth/google/callback': async () => ({ query: { code: 'code-from-google', state: 'state-of-another-browser' } }),
  'post /api/v1/invitations/inspect': async (db, t) => ({ body: { token: (await freshInvitation(db, t)).token } }),
  'post /api/v1/invitations/accept': async (db, t) => ({
    body: { token: (await freshInvitation(db, t)).token, name: 'Matrix Invitee', password: 'a long enough password' },
  }),
  // signed-in people
  'get /api/v1/auth/me': async () => ({}),
  'post /api/v1/auth/logout': async () => ({ body: {} }),
  'post /api/v1/auth/logout-all': async () => ({ body: {} }),
  'post /api/v1/auth/switch-tenant': async (_db, t) => ({ body: { tenantId: t.tenantId } }),
  'post /api/v1/auth/act-as-tenant': async (_db, t) => ({ body: { tenantId: t.tenantId } }),
  'delete /api/v1/auth/act-as-tenant': async () => ({}),
  'get /api/v1/invitations': async () => ({}),
  'post /api/v1/invitations': async (_db, t) => ({
    body: { email: `invitee-${randomUUID().slice(0, 8)}@example.test`, role: 'tenant_member', tenantId: t.tenantId },
  }),
  'delete /api/v1/invitations/:id': async (db, t) => ({ params: { id: (await freshInvitation(db, t)).id } }),
  // agency and tenant administration
  'post /api/v1/agency/tenants': async () => ({ body: { name: 'Matrix Co', slug: slug(), timeZone: 'Europe/Berlin' } }),
  'get /api/v1/agency/tenants': async () => ({}),
  'get /api/v1/agency/tenants/health': async () => ({}),
  'get /api/v1/agency/tenants/:tenantId': async (_db, t) => ({ params: { tenantId: t.tenantId } }),
  'post /api/v1/agency/tenants/:tenantId/suspend': async (_db, t) => ({ params: { tenantId: t.tenantId }, body: { reason: 'unpaid invoices' } }),
  'post /api/v1/agency/tenants/:tenantId/reactivate': async (_db, t) => ({ params: { tenantId: t.tenantId }, body: {} }),
  'get /api/v1/tenant': async () => ({}),
  'get /api/v1/tenant/billing-notice': async () => ({}),
  'get /api/v1/agency/users': async () => ({}),
  'patch /api/v1/agency/memberships/:membershipId': async (db, t) => ({ params: await freshMembership(db, t), body: { role: 'tenant_admin' } }),
  'delete /api/v1/agency/memberships/:membershipId': async (db, t) => ({ params: await freshMembership(db, t) }),
  'get /api/v1/tenant/users': async () => ({}),
  'patch /api/v1/tenant/memberships/:membershipId': async (db, t) => ({ params: await freshMembership(db, t), body: { role: 'tenant_admin' } }),
  'delete /api/v1/tenant/memberships/:membershipId': async (db, t) => ({ params: await freshMembership(db, t) }),
  'post /api/v1/agency/service-tokens': async (_db, t) => ({ body: { name: 'n8n', permissions: ['tenant.read'], tenantId: t.tenantId } }),
  'get /api/v1/agency/service-tokens': async () => ({}),
  'post /api/v1/agency/service-tokens/:tokenId/rotate': async (db, t) => ({ params: await freshToken(db, t), body: {} }),
  'post /api/v1/agency/service-tokens/:tokenId/revoke': async (db, t) => ({ params: await freshToken(db, t), body: {} }),
  'post /api/v1/tenant/service-tokens': async () => ({ body: { name: 'script', permissions: ['tenant.read'] } }),
  'get /api/v1/tenant/service-tokens': async () => ({}),
  'post /api/v1/tenant/service-tokens/:tokenId/rotate': async (db, t) => ({ params: await freshToken(db, t), body: {} }),
  'post /api/v1/tenant/service-tokens/:tokenId/revoke': async (db, t) => ({ params: await freshToken(db, t), body: {} }),
  'get /api/v1/service/whoami': async () => ({}),
  'get /api/v1/agency/audit/events': async (_db, t) => ({ query: { tenantId: t.tenantId } }),
  'get /api/v1/agency/audit/export': async (_db, t) => ({ query: { tenantId: t.tenantId, format: 'json' } }),
  'get /api/v1/tenant/audit/events': async () => ({}),
  'get /api/v1/tenant/audit/export': async () => ({ query: { format: 'csv' } }),
  'get /api/v1/agency/audit/verify': async () => ({}),
  'get /api/v1/features': async () => ({}),
  'get /api/v1/agency/feature-flags': async () => ({}),
  'put /api/v1/agency/feature-flags/:flagKey/override': async (_db, t) => ({
    params: { flagKey: 'inbox.unified' },
    body: { scope: { level: 'tenant', tenantId: t.tenantId }, enabled: true },
  }),
  // event subscriptions (webhooks for n8n)
  'post /api/v1/agency/event-subscriptions': async (_db, t) => ({
    body: { url: 'https://hooks.example.test/in', eventTypes: ['message.*'], tenantId: t.tenantId },
  }),
  'get /api/v1/agency/event-subscriptions': async () => ({}),
  'delete /api/v1/agency/event-subscriptions/:subscriptionId': async (db, t) => ({ params: await freshSubscription(db, t) }),
  'get /api/v1/agency/event-subscriptions/:subscriptionId/deliveries': async (db, t) => ({ params: await freshSubscription(db, t) }),
  'post /api/v1/event-subscriptions': async () => ({ body: { url: 'https://hooks.example.test/in', eventTypes: ['call.missed'] } }),
  'get /api/v1/event-subscriptions': async () => ({}),
  'delete /api/v1/event-subscriptions/:subscriptionId': async (db, t) => ({ params: await freshSubscription(db, t) }),
  'get /api/v1/event-subscriptions/:subscriptionId/deliveries': async (db, t) => ({ params: await freshSubscription(db, t) }),
  // messaging: contacts, consent, conversations and messages, settings
  'post /api/v1/contacts': async () => ({ body: { phone: freshPhone(), name: 'Matrix Lead', email: 'lead@example.test' } }),
  'get /api/v1/contacts': async () => ({}),
  'get /api/v1/contacts/:contactId': async (db, t) => ({ params: { contactId: (await insertContact(db, t)).id } }),
  'get /api/v1/contacts/:contactId/export': async (db, t) => ({ params: { contactId: (await insertContact(db, t)).id } }),
  'post /api/v1/contacts/:contactId/erase': async (db, t) => ({ params: { contactId: (await insertContact(db, t)).id }, body: { confirm: 'ERASE' } }),
  'patch /api/v1/contacts/:contactId': async (db, t) => ({ params: { contactId: (await insertContact(db, t)).id }, body: { name: 'Renamed Lead', leadStage: 'qualified' } }),
  'post /api/v1/contacts/:contactId/consent': async (db, t) => ({
    params: { contactId: (await insertContact(db, t)).id },
    body: { channel: 'sms', kind: 'opt_in', source: 'form', wording: 'Yes, text me about my appointments' },
  }),
  'get /api/v1/contacts/:contactId/consent': async (db, t) => ({ params: { contactId: (await insertContact(db, t)).id } }),
  'post /api/v1/messages': async (db, t) => ({ body: { contactId: (await insertContact(db, t)).id, channel: 'sms', body: 'Hello from the matrix' } }),
  'get /api/v1/messages/dead-letters': async () => ({}),
  'get /api/v1/messages/:messageId': async (db, t) => ({ params: { messageId: (await insertConversationMessage(db, t)).messageId } }),
  'get /api/v1/conversations': async () => ({}),
  'get /api/v1/conversations/:conversationId/messages': async (db, t) => ({ params: { conversationId: (await insertConversationMessage(db, t)).conversationId } }),
  'get /api/v1/messaging-settings': async () => ({}),
  'put /api/v1/messaging-settings': async () => ({ body: DEFAULT_SETTINGS_BODY }),
  'get /api/v1/messaging-settings/pacing': async () => ({}),
  'get /api/v1/messaging-settings/defaults': async () => ({}),
  'get /api/v1/stats/overview': async () => ({}),
  'put /api/v1/tenant/providers/whatsapp-cloud': async () => ({ body: whatsappCloudBody() }),
  'put /api/v1/tenant/providers/telegram': async () => ({ body: { botToken: providerFakes().telegram.addBot().token } }),
  'get /api/v1/tenant/providers/telegram': async () => ({}),
  'delete /api/v1/tenant/providers/telegram': async () => ({}),
  'get /api/v1/tenant/providers/whatsapp-cloud': async () => ({}),
  'delete /api/v1/tenant/providers/whatsapp-cloud': async () => ({}),
  'put /api/v1/messaging-settings/pacing': async () => ({ body: { pacing: [{ channel: 'sms', sender: '+14155550199', messagesPerSecond: 2 }] } }),
  // Twilio: credentials and calls. The call's caller ID is never a connected number, so no request leaves the machine.
  'put /api/v1/tenant/providers/twilio': async () => ({ body: twilioCredentialsBody() }),
  'get /api/v1/tenant/providers/twilio': async () => ({}),
  'delete /api/v1/tenant/providers/twilio': async () => ({}),
  // A number the connected account does not own: refused with 400 (choosing one is tested in twilio-connect).
  'put /api/v1/tenant/providers/twilio/number': async () => ({ body: { phoneNumber: freshUsNumber() } }),
  // The replay posts to the API's own listening port, which the matrix app has not: with no account it is a 404
  // (the whole replay is tested in twilio-connect).
  // Every tenant of the matrix world loses its Twilio account here, so the caller's own tenant (the cross-tenant
  // matrix calls as tenant A with tenant B's case) answers 404 too.
  'post /api/v1/tenant/providers/twilio/test-call': async (db) => {
    await db.query(`DELETE FROM provider_numbers WHERE provider = 'twilio'`);
    await db.query(`DELETE FROM provider_credentials WHERE provider = 'twilio'`);
    return { body: {} };
  },
  'get /api/v1/calls': async () => ({}),
  'get /api/v1/calls/:callId': async (db, t) => ({ params: { callId: (await insertCallLog(db, t)).id } }),
  'post /api/v1/calls': async () => ({ body: { to: freshUsNumber(), from: freshUsNumber(), message: 'Your table is ready.' } }),
  // n8n workflow core: contact lookup and timeline, AI, payments (LLM and Stripe are the run's fakes)
  'get /api/v1/contacts/by-phone': async (db, t) => ({ query: { phone: (await insertContact(db, t)).phone } }),
  'post /api/v1/contacts/:contactId/notes': async (db, t) => ({ params: { contactId: (await insertContact(db, t)).id }, body: { body: 'Asked about Saturday slots' } }),
  'get /api/v1/contacts/:contactId/notes': async (db, t) => ({ params: { contactId: (await insertContact(db, t)).id } }),
  'post /api/v1/contacts/:contactId/activities': async (db, t) => ({
    params: { contactId: (await insertContact(db, t)).id },
    body: { type: 'follow_up.outcome', data: { outcome: 'booked' } },
  }),
  'get /api/v1/contacts/:contactId/activities': async (db, t) => ({ params: { contactId: (await insertContact(db, t)).id }, query: { type: 'follow_up.outcome' } }),
  'post /api/v1/ai/generate': async () => ({ body: { task: 'summary', text: 'Customer asked to move the cleaning to Friday.' } }),
  'get /api/v1/ai/settings': async () => ({}),
  'put /api/v1/ai/settings': async () => ({ body: { model: null, instructions: 'We are a dental clinic in Austin.' } }),
  'get /api/v1/ai/provider': async () => ({}),
  'put /api/v1/ai/provider': async () => ({ body: aiProviderBody() }),
  'delete /api/v1/ai/provider': async (db, t) => (await insertAiProvider(db, t), {}),
  'post /api/v1/ai/provider/test': async (db, t) => (await insertAiProvider(db, t), { body: {} }),
  'get /api/v1/agency/ai-provider': async () => ({}),
  'put /api/v1/agency/ai-provider': async () => ({ body: aiProviderBody() }),
  'delete /api/v1/agency/ai-provider': async (db, t) => (await insertAiProvider(db, { agencyId: t.agencyId, tenantId: null }), {}),
  'post /api/v1/agency/ai-provider/test': async (db, t) => (await insertAiProvider(db, { agencyId: t.agencyId, tenantId: null }), { body: {} }),
  'post /api/v1/payment-links': async () => ({ body: { amount: 4900, currency: 'usd', description: 'Deposit' } }),
  'get /api/v1/payment-links/:paymentLinkId': async (db, t) => ({ params: { paymentLinkId: (await insertPaymentLink(db, t)).id } }),
  // A key the fake Stripe knows, so later payment-link calls of that tenant still work.
  'put /api/v1/tenant/providers/stripe': async () => ({ body: { secretKey: providerFakes().stripe.addAccount().secretKey } }),
  'get /api/v1/tenant/providers/stripe': async () => ({}),
  'delete /api/v1/tenant/providers/stripe': async () => ({}),
  // booking: the built-in calendar
  'get /api/v1/booking/services': async () => ({}),
  'post /api/v1/booking/services': async () => ({ body: { name: 'Cleaning', durationMinutes: 45, bufferAfterMinutes: 15 } }),
  'patch /api/v1/booking/services/:serviceId': async (db, t) => ({ params: { serviceId: (await insertBookingService(db, t)).id }, body: { durationMinutes: 60 } }),
  'get /api/v1/booking/hours': async () => ({}),
  'put /api/v1/booking/hours': async () => ({ body: { weekly: [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, ranges: [{ start: '00:00', end: '24:00' }] })) } }),
  'put /api/v1/booking/exceptions': async () => ({ body: { date: '2099-12-24', ranges: [], reason: 'Holiday' } }),
  'delete /api/v1/booking/exceptions/:date': async (db, t) => {
    await db.query(`INSERT INTO booking_exceptions (agency_id, tenant_id, date, reason) VALUES (:agencyId, :tenantId, '2099-12-25', 'Holiday')`, { replacements: t });
    return { params: { date: '2099-12-25' } };
  },
  'get /api/v1/booking/slots': async (db, t) => {
    await openAroundTheClock(db, t);
    const from = await nextFreeStart(db, t);
    return { query: { serviceId: (await insertBookingService(db, t)).id, from: from.toISOString(), to: new Date(from.getTime() + 86_400_000).toISOString() } };
  },
  'get /api/v1/bookings': async () => ({}),
  'get /api/v1/bookings/:bookingId': async (db, t) => ({ params: { bookingId: (await insertBooking(db, t)).id } }),
  'post /api/v1/bookings': async (db, t) => {
    await openAroundTheClock(db, t);
    return { body: { serviceId: (await insertBookingService(db, t)).id, start: (await nextFreeStart(db, t)).toISOString() } };
  },
  'post /api/v1/bookings/:bookingId/reschedule': async (db, t) => {
    await openAroundTheClock(db, t);
    const bookingId = (await insertBooking(db, t)).id;
    return { params: { bookingId }, body: { start: (await nextFreeStart(db, t)).toISOString() } };
  },
  'post /api/v1/bookings/:bookingId/cancel': async (db, t) => ({ params: { bookingId: (await insertBooking(db, t)).id }, body: {} }),
  // automation templates
  'get /api/v1/automation-templates': async () => ({}),
  'get /api/v1/automation-templates/:key': async () => ({ params: { key: 'missed_call' } }),
  'put /api/v1/automation-templates/:key': async () => ({ params: { key: 'missed_call' }, body: { text: 'Sorry we missed you! Reply here.' } }),
  'delete /api/v1/automation-templates/:key': async () => ({ params: { key: 'follow_up_last' } }),
  // automation runs and failures (n8n's error workflow), channel availability
  'post /api/v1/automation-runs': async () => ({ body: { workflowId: 'sbAfterCall00001', executionId: `ex-${Date.now()}-${Math.random()}` } }),
  'post /api/v1/agency/automation-failures': async () => ({ body: { workflowId: 'sbAfterCall00001', executionId: `ex-${Date.now()}-${Math.random()}`, errorMessage: 'boom' } }),
  // System health: each call gets its own parked inbound delivery of the target tenant.
  'get /api/v1/agency/system-health': async () => ({}),
  'post /api/v1/agency/system-health/dead-letters/:kind/:id/retry': async (db, t) => ({ params: { kind: 'inbound', ...(await insertParkedInbound(db, t)) }, body: {} }),
  'post /api/v1/agency/system-health/dead-letters/:kind/:id/discard': async (db, t) => ({ params: { kind: 'inbound', ...(await insertParkedInbound(db, t)) }, body: {} }),
  'get /api/v1/automation-failures': async () => ({}),
  'get /api/v1/channels/availability': async () => ({}),
  // AI agents
  'get /api/v1/agents': async () => ({}),
  'post /api/v1/agents': async () => ({ body: { name: 'Ava', channels: ['web', 'sms'] } }),
  'get /api/v1/agents/:agentId': async (db, t) => ({ params: { agentId: (await insertAgentRow(db, t)).id } }),
  'patch /api/v1/agents/:agentId': async (db, t) => ({ params: { agentId: (await insertAgentRow(db, t)).id }, body: { enabled: false } }),
  'get /api/v1/agents/:agentId/versions': async (db, t) => ({ params: { agentId: (await insertAgentRow(db, t)).id } }),
  'post /api/v1/agents/:agentId/versions': async (db, t) => ({ params: { agentId: (await insertAgentRow(db, t)).id }, body: { facts: { businessName: 'Acme' }, instructions: 'Be brief.' } }),
  'post /api/v1/agents/:agentId/versions/:version/publish': async (db, t) => ({ params: { agentId: (await insertAgentRow(db, t)).id, version: '1' }, body: {} }),
  'post /api/v1/agents/:agentId/rollback': async (db, t) => ({ params: { agentId: (await insertAgentRow(db, t)).id }, body: {} }),
  'get /api/v1/agents/:agentId/diff': async (db, t) => ({ params: { agentId: (await insertAgentRow(db, t)).id }, query: { from: '1', to: '2' } }),
  'get /api/v1/agents/:agentId/turns': async (db, t) => ({ params: { agentId: (await insertAgentRow(db, t)).id } }),
  'get /api/v1/agents/:agentId/usage': async (db, t) => ({ params: { agentId: (await insertAgentRow(db, t)).id } }),
  'post /api/v1/conversations/:conversationId/agent/pause': async (db, t) => ({ params: { conversationId: (await insertConversationMessage(db, t)).conversationId }, body: { minutes: 30 } }),
  'post /api/v1/conversations/:conversationId/agent/release': async (db, t) => ({ params: { conversationId: (await insertConversationMessage(db, t)).conversationId }, body: {} }),
  'get /api/v1/agency/agent-template': async () => ({}),
  'put /api/v1/agency/agent-template': async () => ({ body: { template: 'You are {{agentName}} of {{businessName}}. Answer from the facts only.' } }),
  // WhatsApp linked device (no worker runs in the matrices: pairing is stored and answered 202 with a warning)
  'get /api/v1/whatsapp/linked-device': async () => ({}),
  'post /api/v1/whatsapp/linked-device/pair': async () => ({ body: {} }),
  'get /api/v1/whatsapp/linked-device/events': async () => ({ query: { maxSeconds: '1' } }),
  'get /api/v1/whatsapp/linked-device/qr': async () => ({ query: { maxSeconds: '1' } }),
  'post /api/v1/whatsapp/linked-device/logout': async () => ({ body: {} }),
  'get /api/v1/messages/:messageId/media': async (db, t) => {
    const { messageId } = await insertConversationMessage(db, t);
    await db.query(`INSERT INTO message_media (message_id, tenant_id, agency_id, kind, mime_type, size_bytes, data)
      VALUES (:messageId, :tenantId, :agencyId, 'image', 'image/png', 4, '\\x89504e47')`, { replacements: { ...t, messageId } });
    return { params: { messageId } };
  },
  // web chat (public: the widget key, then the signed session token, are the credentials)
  'post /api/v1/web-chat/:webKey/sessions': async (db, t) => ({ params: { webKey: (await insertAgentRow(db, t)).webKey }, body: {} }),
  'post /api/v1/web-chat/messages': async (db, t) => ({ body: { sessionToken: await chatSession(db, t), text: 'Hello there' } }),
  'post /api/v1/web-chat/history': async (db, t) => ({ body: { sessionToken: await chatSession(db, t), afterSeq: 0 } }),
  // plans, the agency's Stripe billing account, hand-made subscriptions
  ...PLAN_ROUTE_CASES,
  // the tenant's Billing page (Stripe Checkout, plan changes, Customer Portal, invoices)
  ...SUBSCRIPTION_ROUTE_CASES,
  // self sign-up: the agency owner's settings, the public offer, request and verify
  ...SELF_SIGNUP_ROUTE_CASES,
  // Sign-up with Google: the start redirects to (dummy) Google; complete without a hand-off redirects to the portal's result page.
  'get /api/v1/signup/google': async (db, t) => ({
    query: { agencyId: t.agencyId, businessName: 'Matrix Business', name: 'Matrix Owner', timeZone: 'UTC', planId: await openSignup(db, t.agencyId), interval: 'month' },
  }),
  'get /api/v1/signup/google/complete': async () => ({}),
};

async function chatSession(db: Sequelize, t: Target): Promise<string> {
  const agent = await insertAgentRow(db, t);
  const contact = await insertContact(db, t);
  return issueSessionToken(testEncryptionKey(), { ...t, agentId: agent.id, contactId: contact.id });
}

export function routeKey(route: { method: string; path: string }): string {
  return `${route.method} ${route.path}`;
}

export function fillPath(path: string, params: Record<string, string> = {}): string {
  return path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? 'missing'));
}

export function describePrincipal(principal: Principal): string {
  if (principal.kind === 'service') return `service token (${principal.tenantId ? 'tenant' : 'agency'})`;
  return principal.actingAs ? `${principal.actingAs.agencyRole} acting as tenant` : principal.role;
}
