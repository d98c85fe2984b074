import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { idempotencyKeyOf } from '../../http/idempotency-key.js';
import { createPaymentLink } from './create-payment-link.js';
import { getPaymentLink } from './get-payment-link.js';
import type { PaymentDeps } from './payment-deps.js';
import { createPaymentLinkBody, paymentLinkIdParams, paymentLinkView, putStripeAccountBody, stripeAccountView } from './schemas.js';
import { deleteStripeAccount, getStripeAccount, saveStripeAccount } from './stripe-account.js';

export function paymentRoutes(deps: PaymentDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/payment-links', tag: 'payments', scope: 'tenant', status: 201,
      summary: 'Create a Stripe payment link for an amount or a price. Idempotency-Key: the same key returns the same link with 200',
      access: { permission: 'tenant.payments.manage' },
      body: createPaymentLinkBody, response: paymentLinkView,
      handler: async ({ req, res, body }) => {
        const { amount, currency, description, priceId, ...rest } = body;
        const item = priceId ? { priceId } : { amount: amount!, currency: currency!, description: description! };
        const { link, created } = await createPaymentLink(deps, { actor: actorFrom(req), ...rest, item, idempotencyKey: idempotencyKeyOf(req) });
        res.status(created ? 201 : 200).json(link);
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/payment-links/:paymentLinkId', tag: 'payments', scope: 'tenant',
      summary: 'A payment link, its active state refreshed from Stripe',
      access: { permission: 'tenant.payments.manage' },
      params: paymentLinkIdParams, query: emptyQuery, response: paymentLinkView,
      handler: ({ req, params }) => getPaymentLink(deps, { actor: actorFrom(req), paymentLinkId: params.paymentLinkId }),
    }),
    defineRoute({
      method: 'put', path: '/api/v1/tenant/providers/stripe', tag: 'providers', scope: 'tenant',
      summary: "Connect or replace the tenant's Stripe account (secret key stored encrypted, never returned)",
      access: { permission: 'tenant.settings.manage' },
      body: putStripeAccountBody, response: stripeAccountView,
      handler: ({ req, body }) => saveStripeAccount(deps, { actor: actorFrom(req), secretKey: body.secretKey, webhookSecret: body.webhookSecret }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/tenant/providers/stripe', tag: 'providers', scope: 'tenant',
      summary: 'The connected Stripe account: mode and the last 4 of the key only',
      access: { permission: 'tenant.settings.manage' },
      query: emptyQuery, response: stripeAccountView,
      handler: ({ req }) => getStripeAccount(deps, { actor: actorFrom(req) }),
    }),
    defineRoute({
      method: 'delete', path: '/api/v1/tenant/providers/stripe', tag: 'providers', scope: 'tenant',
      summary: 'Disconnect the Stripe account (payment links then use the agency key, if any)',
      access: { permission: 'tenant.settings.manage' },
      handler: async ({ req }) => {
        await deleteStripeAccount(deps, { actor: actorFrom(req) });
      },
    }),
  ];
}
