import { fail, redirect, type RequestEvent } from '@sveltejs/kit';
import { backendJson, explainFailure } from '../agency/session-api.server.js';
import type { Billing, Invoice } from './billing-types.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async (event) => {
  try {
    const [billing, { invoices }] = await Promise.all([
      backendJson<Billing>(event, 'GET', '/api/v1/billing'),
      backendJson<{ invoices: Invoice[] }>(event, 'GET', '/api/v1/billing/invoices').catch(() => ({ invoices: [] as Invoice[] })),
    ]);
    return { billing, invoices, checkout: event.url.searchParams.get('checkout'), loadError: null };
  } catch (err) {
    return { billing: null, invoices: [] as Invoice[], checkout: null, loadError: explainFailure(err).message };
  }
};

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** One backend call for a form; a failure comes back as the backend's sentence beside the buttons. */
async function attempt(call: () => Promise<string>) {
  try {
    return { done: await call() };
  } catch (err) {
    const { status, message } = explainFailure(err);
    return fail(status, { error: message });
  }
}

/** Stripe's hosted pages (Checkout, Customer Portal): the browser goes there, and comes back to /billing. */
async function goToStripe(event: RequestEvent, path: '/api/v1/billing/checkout' | '/api/v1/billing/portal', body: object) {
  let url: string;
  try {
    ({ url } = await backendJson<{ url: string }>(event, 'POST', path, body));
  } catch (err) {
    const { status, message } = explainFailure(err);
    return fail(status, { error: message });
  }
  redirect(303, url, { external: true }); // Stripe's hosted page (the URL comes from our API, never from the browser)
}

const choice = async (event: RequestEvent) => {
  const data = await event.request.formData();
  return { planId: text(data, 'planId'), interval: text(data, 'interval') === 'year' ? 'year' : 'month' };
};

export const actions: Actions = {
  checkout: async (event) => goToStripe(event, '/api/v1/billing/checkout', await choice(event)),
  portal: (event) => goToStripe(event, '/api/v1/billing/portal', {}),
  change: async (event) => {
    const body = await choice(event);
    return attempt(async () => {
      const billing = await backendJson<Billing>(event, 'POST', '/api/v1/billing/change', body);
      return `You are now on ${billing.subscription?.plan.name ?? 'the new plan'}. The difference is prorated on your next invoice.`;
    });
  },
  cancel: (event) => attempt(async () => {
    const billing = await backendJson<Billing>(event, 'POST', '/api/v1/billing/cancel', {});
    return `Your subscription ends on ${billing.subscription?.currentPeriodEnd.slice(0, 10)}. Everything keeps working until then, and nothing is deleted.`;
  }),
  resume: (event) => attempt(async () => (await backendJson(event, 'POST', '/api/v1/billing/resume', {}), 'Your subscription continues.')),
};
