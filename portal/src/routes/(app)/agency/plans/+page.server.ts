import { fail, type RequestEvent } from '@sveltejs/kit';
import { backendJson, explainFailure } from '../session-api.server.js';
import { readPlanForm, formField } from './plan-form.js';
import { stripeBillingWebhookUrl } from './stripe-webhook-url.server.js';
import type { BillingAccount, Flag, Plan, TenantChoice } from './plans-types.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  try {
    const [{ plans }, billing, { flags }, { tenants }, webhookUrl] = await Promise.all([
      backendJson<{ plans: Plan[] }>(event, 'GET', '/api/v1/agency/plans'),
      backendJson<BillingAccount>(event, 'GET', '/api/v1/agency/billing/stripe'),
      backendJson<{ flags: Flag[] }>(event, 'GET', '/api/v1/agency/feature-flags'),
      backendJson<{ tenants: TenantChoice[] }>(event, 'GET', '/api/v1/agency/tenants/health?limit=200'),
      stripeBillingWebhookUrl(event, event.url.origin),
    ]);
    return { plans, billing, flags: flags.map(({ key, description }) => ({ key, description })), tenants: tenants.map(({ tenantId, name }) => ({ tenantId, name })), webhookUrl, loadError: null };
  } catch (err) {
    return { plans: [] as Plan[], billing: null, flags: [] as Flag[], tenants: [] as TenantChoice[], webhookUrl: null, loadError: explainFailure(err).message };
  }
};

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** Runs one backend call for a form; its failure comes back beside that form (field issues by field). */
async function attempt(action: string, planId: string | undefined, call: () => Promise<string>) {
  try {
    return { action, planId, done: await call() };
  } catch (err) {
    const { status, message, fields } = explainFailure(err);
    const errors = Object.fromEntries(Object.entries(fields).map(([path, issue]) => [formField(path), issue]));
    return fail(status, { action, planId, errors: { ...errors, form: message } });
  }
}

async function savePlan(event: RequestEvent, action: 'create' | 'update') {
  const data = await event.request.formData();
  const planId = text(data, 'planId') || undefined;
  const { body, errors } = readPlanForm(data, text(data, 'currency') || 'usd');
  const values = Object.fromEntries([...data.entries()].filter(([, v]) => typeof v === 'string').map(([k, v]) => [k, String(v)]));
  if (Object.keys(errors).length > 0) return fail(400, { action, planId, values, errors });
  return attempt(action, planId, async () => {
    if (action === 'create') {
      const { plan } = await backendJson<{ plan: Plan }>(event, 'POST', '/api/v1/agency/plans', body);
      return plan.stripeSync.status === 'failed' ? `Saved ${plan.name}, but Stripe did not take it: ${plan.stripeSync.error}` : `Created ${plan.name}.`;
    }
    const { outcome, plan } = await backendJson<{ outcome: string; plan: Plan }>(event, 'PATCH', `/api/v1/agency/plans/${planId}`, body);
    if (outcome === 'new_version') return `Saved as version ${plan.current.version}. Existing subscribers stay on their version until you move them.`;
    return outcome === 'unchanged' ? 'Nothing changed.' : 'Saved.';
  });
}

export const actions: Actions = {
  create: (event) => savePlan(event, 'create'),
  update: (event) => savePlan(event, 'update'),
  archive: async (event) => {
    const planId = text(await event.request.formData(), 'planId');
    return attempt('archive', planId, async () => (await backendJson(event, 'DELETE', `/api/v1/agency/plans/${planId}`), 'Archived. Its Stripe prices no longer sell.'));
  },
  sync: async (event) => {
    const planId = text(await event.request.formData(), 'planId');
    return attempt('sync', planId, async () => {
      const { plan } = await backendJson<{ plan: Plan }>(event, 'POST', `/api/v1/agency/plans/${planId}/sync`, {});
      return plan.stripeSync.status === 'synced' ? 'In Stripe now.' : `Still not in Stripe: ${plan.stripeSync.error ?? 'no Stripe account is connected'}`;
    });
  },
  move: async (event) => {
    const planId = text(await event.request.formData(), 'planId');
    return attempt('move', planId, async () => {
      const result = await backendJson<{ moved: number; toVersion: number }>(event, 'POST', `/api/v1/agency/plans/${planId}/move-subscribers`, {});
      return `Moved ${result.moved} subscriber${result.moved === 1 ? '' : 's'} to version ${result.toVersion}.`;
    });
  },
  assign: async (event) => {
    const data = await event.request.formData();
    const planId = text(data, 'planId');
    const tenantId = text(data, 'tenantId');
    if (!tenantId) return fail(400, { action: 'assign', planId, errors: { tenantId: 'Choose a client business.' } });
    const body = { kind: text(data, 'kind') || 'manual', planId, interval: text(data, 'interval') || 'month' };
    return attempt('assign', planId, async () => (await backendJson(event, 'PUT', `/api/v1/agency/tenants/${tenantId}/subscription`, body), 'Assigned.'));
  },
  connectStripe: async (event) => {
    const data = await event.request.formData();
    const webhookSecret = text(data, 'webhookSecret');
    const currency = text(data, 'currency').toLowerCase();
    const body = { secretKey: text(data, 'secretKey'), ...(webhookSecret && { webhookSecret }), ...(currency && { currency }) };
    return attempt('connectStripe', undefined, async () => (await backendJson(event, 'PUT', '/api/v1/agency/billing/stripe', body), 'Connected. New plans go to this Stripe account.'));
  },
  disconnectStripe: (event) => attempt('disconnectStripe', undefined, async () => (await backendJson(event, 'DELETE', '/api/v1/agency/billing/stripe'), 'Disconnected.')),
};
