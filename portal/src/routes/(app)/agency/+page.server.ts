import { fail, redirect } from '@sveltejs/kit';
import { config } from '#lib/server/config.js';
import { invitationOutcome, type CreatedInvitation } from '#lib/server/invitation-result.js';
import { resolveTimeZone } from '#lib/time-zones.js';
import type { Actions, PageServerLoad } from './$types';
import type { AssignablePlan, MrrTotals, TenantBilling } from './billing-column.js';
import type { Plan } from './plans/plans-types.js';
import { backendJson, explainFailure } from './session-api.server.js';

export type TenantHealth = {
  tenantId: string;
  name: string;
  slug: string;
  status: 'active' | 'suspended';
  channels: string[];
  messagesToday: number;
  failuresToday: number;
  lastMessageAt: string | null;
  /** The plan/billing column; null unless the viewer manages billing (agency owner). */
  billing: TenantBilling | null;
};

const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,78}[a-z0-9])?$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

export const load: PageServerLoad = async (event) => {
  try {
    const { tenants, mrr } = await backendJson<{ tenants: TenantHealth[]; mrr?: MrrTotals | null }>(event, 'GET', '/api/v1/agency/tenants/health?limit=200');
    // Only billing managers get the column; for them, the plans the column's actions can assign.
    const plans = mrr ? await assignablePlans(event) : [];
    return { tenants, mrr: mrr ?? null, plans, loadError: null, n8nEditorUrl: config.n8nEditorUrl ?? null };
  } catch (err) {
    return { tenants: [] as TenantHealth[], mrr: null, plans: [] as AssignablePlan[], loadError: explainFailure(err).message, n8nEditorUrl: config.n8nEditorUrl ?? null };
  }
};

async function assignablePlans(event: Parameters<PageServerLoad>[0]): Promise<AssignablePlan[]> {
  const { plans } = await backendJson<{ plans: Plan[] }>(event, 'GET', '/api/v1/agency/plans').catch(() => ({ plans: [] as Plan[] }));
  return plans.filter((plan) => !plan.archivedAt).map((plan) => ({
    id: plan.id, name: plan.name, version: plan.current.version, yearly: plan.current.yearlyPriceMinor !== null, trialDays: plan.current.trialDays,
  }));
}

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

export const actions: Actions = {
  create: async (event) => {
    const data = await event.request.formData();
    const values = { name: text(data, 'name'), slug: text(data, 'slug'), timeZone: text(data, 'timeZone') || 'UTC' };
    const errors: Record<string, string> = {};
    if (!values.name) errors.name = 'Enter the business name.';
    if (!SLUG.test(values.slug)) errors.slug = 'Use lowercase letters, digits and dashes, e.g. acme-dental.';
    const timeZone = resolveTimeZone(values.timeZone);
    if (!timeZone) errors.timeZone = `“${values.timeZone}” is not a time zone we know. Type a city and pick it from the list, e.g. New York.`;
    if (Object.keys(errors).length > 0) return fail(400, { action: 'create', values, errors });
    try {
      await backendJson(event, 'POST', '/api/v1/agency/tenants', { ...values, timeZone });
    } catch (err) {
      const { status, message, fields } = explainFailure(err);
      return fail(status, { action: 'create', values, errors: { ...fields, form: message } });
    }
    return { action: 'create', done: `Created ${values.name}.` };
  },
  /** The billing column's Assign/change plan, Comp and Grant trial (the plans module's hand-made subscription). */
  assignPlan: async (event) => {
    const data = await event.request.formData();
    const tenantId = text(data, 'tenantId');
    const kind = text(data, 'kind');
    const body = { kind: ['manual', 'comped', 'trial'].includes(kind) ? kind : 'manual', planId: text(data, 'planId'), interval: text(data, 'interval') === 'year' ? 'year' : 'month' };
    try {
      const { subscription } = await backendJson<{ subscription: { plan: { name: string } } }>(event, 'PUT', `/api/v1/agency/tenants/${encodeURIComponent(tenantId)}/subscription`, body);
      const how = body.kind === 'comped' ? 'free of charge' : body.kind === 'trial' ? 'on trial' : 'billed outside Switchboard';
      return { action: 'assignPlan', tenantId, done: `Now on ${subscription.plan.name}, ${how}.` };
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'assignPlan', tenantId, errors: { form: explainFailure(err).message } });
    }
  },
  suspend: (event) => changeStatus(event, 'suspend'),
  reactivate: (event) => changeStatus(event, 'reactivate'),
  inviteOwner: async (event) => {
    const data = await event.request.formData();
    const tenantId = text(data, 'tenantId');
    const email = text(data, 'email');
    if (!EMAIL.test(email)) return fail(400, { action: 'inviteOwner', tenantId, errors: { email: 'Enter an email address like name@example.com.' } });
    let created: CreatedInvitation;
    try {
      created = await backendJson<CreatedInvitation>(event, 'POST', '/api/v1/invitations', { email, role: 'tenant_owner', tenantId });
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'inviteOwner', tenantId, errors: { email: explainFailure(err).message } });
    }
    return { action: 'inviteOwner', tenantId, ...invitationOutcome(email, created) };
  },
  openAsTenant: async (event) => {
    const tenantId = text(await event.request.formData(), 'tenantId');
    try {
      await backendJson(event, 'POST', '/api/v1/auth/act-as-tenant', { tenantId });
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'openAsTenant', tenantId, errors: { form: explainFailure(err).message } });
    }
    redirect(303, '/home');
  },
  /** The banner's "Back to agency", on every page while acting inside a client business. */
  backToAgency: async (event) => {
    try {
      await backendJson(event, 'DELETE', '/api/v1/auth/act-as-tenant');
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'backToAgency', errors: { form: explainFailure(err).message } });
    }
    redirect(303, '/agency');
  },
};

async function changeStatus(event: Parameters<Actions[string]>[0], change: 'suspend' | 'reactivate') {
  const data = await event.request.formData();
  const tenantId = text(data, 'tenantId');
  const reason = text(data, 'reason');
  if (change === 'suspend' && reason.length < 3) {
    return fail(400, { action: change, tenantId, errors: { reason: 'Say why (at least 3 characters); the tenant’s staff will see it.' } });
  }
  try {
    await backendJson(event, 'POST', `/api/v1/agency/tenants/${encodeURIComponent(tenantId)}/${change}`, change === 'suspend' ? { reason } : {});
  } catch (err) {
    return fail(explainFailure(err).status, { action: change, tenantId, errors: { form: explainFailure(err).message } });
  }
  return { action: change, tenantId, done: change === 'suspend' ? 'Tenant suspended.' : 'Tenant reactivated.' };
}
