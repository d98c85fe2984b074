import { isUniqueViolation } from '../../db/sql.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import type { PaymentLinkItem } from '../../ports/payments.js';
import { actorId } from '../auth/principal.js';
import { findContact } from '../contacts/contact-repository.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { paymentsFailure, type PaymentDeps } from './payment-deps.js';
import { findPaymentLink, insertPaymentLink, type PaymentLink } from './payment-link-repository.js';
import { paymentsNotConfigured, stripeCredentialsFor } from './stripe-account.js';

export type PaymentLinkInput = {
  item: PaymentLinkItem;
  quantity: number;
  contactId?: string;
  metadata: Record<string, string>;
  idempotencyKey?: string;
};

/**
 * A hosted payment link in the tenant's Stripe account. The same Idempotency-Key returns the first
 * link without calling Stripe; Stripe gets a key derived from it (tenant-prefixed) for its own dedupe.
 */
export async function createPaymentLink(deps: PaymentDeps, input: PaymentLinkInput & { actor: Actor }): Promise<{ link: PaymentLink; created: boolean }> {
  const scope = tenantScopeOf(input.actor);
  const prepared = await deps.runInScope(scope, async (tx) => {
    const existing = input.idempotencyKey ? await findPaymentLink(tx, { tenantId: scope.tenantId, idempotencyKey: input.idempotencyKey }) : undefined;
    if (existing) return { existing };
    if (input.contactId && !(await findContact(tx, { tenantId: scope.tenantId, contactId: input.contactId }))) {
      throw new AppError('NOT_FOUND', 'Contact not found');
    }
    return { credentials: await stripeCredentialsFor(tx, deps, scope) };
  });
  if (prepared.existing) return { link: prepared.existing, created: false };
  if (!prepared.credentials) throw paymentsNotConfigured();

  const metadata = { ...input.metadata, switchboard_tenant_id: scope.tenantId, ...(input.contactId && { switchboard_contact_id: input.contactId }) };
  const providerLink = await deps.payments
    .createPaymentLink(prepared.credentials, {
      item: input.item,
      quantity: input.quantity,
      metadata,
      idempotencyKey: input.idempotencyKey && `sb-${scope.tenantId}-${input.idempotencyKey}`,
    })
    .catch((err: unknown) => {
      throw paymentsFailure(err);
    });
  const amount = 'amount' in input.item ? input.item : undefined;
  try {
    const link = await deps.runInScope(scope, (tx) =>
      insertPaymentLink(tx, {
        ...scope,
        provider: deps.payments.provider,
        ...providerLink,
        amount: amount?.amount ?? null,
        currency: amount?.currency ?? null,
        description: amount?.description ?? null,
        quantity: input.quantity,
        contactId: input.contactId ?? null,
        metadata: input.metadata,
        idempotencyKey: input.idempotencyKey ?? null,
        createdByType: input.actor.principal.kind,
        createdById: actorId(input.actor.principal),
      }),
    );
    return { link, created: true };
  } catch (err) {
    // A concurrent request with the same key won the insert; Stripe deduplicated the link itself.
    if (!isUniqueViolation(err) || !input.idempotencyKey) throw err;
    const first = await deps.runInScope(scope, (tx) => findPaymentLink(tx, { tenantId: scope.tenantId, idempotencyKey: input.idempotencyKey }));
    return { link: first!, created: false };
  }
}
