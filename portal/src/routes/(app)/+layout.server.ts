import { redirect } from '@sveltejs/kit';
import { usableTimeZone } from '#lib/format.js';
import { whoAmI } from '#lib/server/session.js';
import { backendJson } from './agency/session-api.server.js';
import type { LayoutServerLoad } from './$types';
import type { BillingNotice } from './BillingBanner.svelte';

/** Every page in (app) needs a signed-in person; the layout gets only the fields the shell shows. */
export const load: LayoutServerLoad = async ({ cookies, locals, url, fetch }) => {
  const me = await whoAmI({ cookies, requestId: locals.requestId });
  if (!me) {
    cookies.delete('sb_session', { path: '/' });
    redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  // Dates on every page are shown in the business's time zone (agency pages: UTC).
  const api = { cookies, locals, fetch };
  const [tenant, billing] = me.tenantId
    ? await Promise.all([
      backendJson<{ timeZone?: string; name?: string }>(api, 'GET', '/api/v1/tenant').catch(() => undefined),
      // Past due or restricted: a banner on every page (a failed lookup shows none rather than breaking the page).
      backendJson<{ notice: BillingNotice | null }>(api, 'GET', '/api/v1/tenant/billing-notice').catch(() => undefined),
    ])
    : [undefined, undefined];
  return {
    timeZone: usableTimeZone(tenant?.timeZone),
    billingNotice: billing?.notice ?? null,
    me: {
      email: me.user.email, name: me.user.name, role: me.role, tenantId: me.tenantId,
      agencyStaff: !me.tenantId || !!me.actingAs, actingAsTenant: !!me.actingAs,
      // The banner names the business agency staff are inside.
      tenantName: tenant?.name ?? null,
    },
  };
};
