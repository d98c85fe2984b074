import { randomBytes } from 'node:crypto';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { encryptSecret } from '../../infra/crypto.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { actorId } from '../auth/principal.js';
import { findTenant } from '../tenants/tenant-repository.js';
import { listDeliveries, type DeliveryLogEntry } from './delivery-repository.js';
import { deleteSubscription, insertSubscription, listSubscriptions, type EventSubscription } from './subscription-repository.js';

/** 'tenant': the caller's tenant's subscriptions; 'agency': any of the agency's, agency-wide ones included. */
export type SubscriptionLevel = 'agency' | 'tenant';
export type SubscriptionDeps = ScopedDeps & { encryptionKey: Buffer };

function levelScope(actor: Actor, level: SubscriptionLevel): { agencyId: string; tenantId?: string } {
  const { agencyId, tenantId } = actor.principal;
  return level === 'tenant' ? { agencyId, tenantId } : { agencyId };
}

export async function createEventSubscription(
  deps: SubscriptionDeps,
  input: { actor: Actor; level: SubscriptionLevel; url: string; eventTypes: string[]; description?: string; secret?: string; tenantId?: string },
): Promise<{ subscription: EventSubscription; secret: string }> {
  const scope = levelScope(input.actor, input.level);
  const tenantId = input.level === 'tenant' ? scope.tenantId! : (input.tenantId ?? null);
  const secret = input.secret ?? `whsec_${randomBytes(32).toString('base64url')}`;
  return deps.runInScope(scope, async (tx) => {
    if (tenantId && !(await findTenant(tx, { agencyId: scope.agencyId, tenantId }))) throw new AppError('NOT_FOUND', 'Tenant not found');
    const subscription = await insertSubscription(tx, {
      agencyId: scope.agencyId,
      tenantId,
      url: input.url,
      eventTypes: [...new Set(input.eventTypes)],
      description: input.description ?? null,
      secretEncrypted: encryptSecret(deps.encryptionKey, secret),
      createdByType: input.actor.principal.kind,
      createdById: actorId(input.actor.principal),
    });
    await recordAuditEvent(tx, {
      agencyId: scope.agencyId,
      tenantId,
      ...auditOrigin(input.actor),
      action: 'event_subscription.created',
      target: { type: 'event_subscription', id: subscription.id },
      after: { url: subscription.url, eventTypes: subscription.eventTypes },
    });
    return { subscription, secret };
  });
}

export function listEventSubscriptions(deps: ScopedDeps, input: { actor: Actor; level: SubscriptionLevel }): Promise<EventSubscription[]> {
  const scope = levelScope(input.actor, input.level);
  return deps.runInScope(scope, (tx) => listSubscriptions(tx, scope));
}

export async function deleteEventSubscription(
  deps: ScopedDeps,
  input: { actor: Actor; level: SubscriptionLevel; subscriptionId: string },
): Promise<void> {
  const scope = levelScope(input.actor, input.level);
  await deps.runInScope(scope, async (tx) => {
    const deleted = await deleteSubscription(tx, { ...scope, subscriptionId: input.subscriptionId });
    if (!deleted) throw new AppError('NOT_FOUND', 'Event subscription not found');
    await recordAuditEvent(tx, {
      agencyId: deleted.agencyId,
      tenantId: deleted.tenantId,
      ...auditOrigin(input.actor),
      action: 'event_subscription.deleted',
      target: { type: 'event_subscription', id: deleted.id },
      before: { url: deleted.url, eventTypes: deleted.eventTypes },
    });
  });
}

/** The delivery log of one subscription (newest first). */
export async function listSubscriptionDeliveries(
  deps: ScopedDeps,
  input: { actor: Actor; level: SubscriptionLevel; subscriptionId: string; limit: number },
): Promise<DeliveryLogEntry[]> {
  const scope = levelScope(input.actor, input.level);
  return deps.runInScope(scope, async (tx) => {
    const visible = (await listSubscriptions(tx, scope)).some((subscription) => subscription.id === input.subscriptionId);
    if (!visible) throw new AppError('NOT_FOUND', 'Event subscription not found');
    return listDeliveries(tx, { subscriptionId: input.subscriptionId, limit: input.limit });
  });
}
