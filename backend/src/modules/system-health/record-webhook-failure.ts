import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryRows } from '../../db/sql.js';

export type WebhookFailure = {
  provider: 'twilio' | 'whatsapp-cloud' | 'telegram' | 'stripe';
  reason: string;
  /** The tenant the request claimed, once it checked out as one of ours; omitted when we do not know whose it is. */
  scope?: { agencyId: string; tenantId: string } | undefined;
};

/**
 * Notes a provider webhook whose signature did not verify, for the System health page. Never throws:
 * the caller's 403 must go out whether or not the note could be written (the database may be the problem).
 */
export async function recordWebhookFailure(deps: ScopedDeps, failure: WebhookFailure): Promise<void> {
  const scope = failure.scope ?? {};
  await deps
    .runInScope(scope, (tx) =>
      queryRows(tx, 'INSERT INTO webhook_failures (agency_id, tenant_id, provider, reason) VALUES (:agencyId, :tenantId, :provider, :reason)', {
        agencyId: failure.scope?.agencyId ?? null,
        tenantId: failure.scope?.tenantId ?? null,
        provider: failure.provider,
        reason: failure.reason.slice(0, 200),
      }),
    )
    .catch(() => undefined);
}
