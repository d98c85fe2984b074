// Billing Portal sessions: a URL (served by pages.ts) where the customer sees subscriptions and invoices,
// cancels at period end, and goes back to `return_url`.
import { stripeId } from './ids.js';
import { missing, ok, required, text } from './replies.js';
import { route, type Ctx } from './routes.js';
import type { PortalSession } from './types.js';

function create(ctx: Ctx) {
  const customer = text(ctx.params.customer);
  if (!customer) return required('customer');
  if (!ctx.account.customers.has(customer)) return missing('customer', customer, 400, 'customer');
  const id = stripeId('bps');
  const session: PortalSession = {
    id, object: 'billing_portal.session', configuration: 'bpc_fake_default', created: ctx.now(), customer, livemode: false, locale: null,
    on_behalf_of: null, flow: null, return_url: text(ctx.params.return_url) ?? null, url: `${ctx.pagesUrl}/billing_portal/${id}`,
  };
  ctx.account.portalSessions.set(id, session);
  return ok(session);
}

export const portalRoutes = [route('POST', '/v1/billing_portal/sessions', create)];
