import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryRows } from '../../db/sql.js';

export type WebhookFailure = {
  provider: 'twilio' | 'whatsapp-cloud' | 'telegram' | 'stripe';
  reason: string;
  /** The tenant the request claimed, once it checked out as one of ours; omitted when we do not know whose it is. */
  scope?: { agencyId: string; tenantId: string } | undefined;
};

// Forged requests cost the sender nothing: past this many notes per provider and minute (per process) the rest
// are only refused, so a flood of them cannot turn into a flood of database writes.
const NOTES_PER_MINUTE = 300;
const recent = new Map<string, { minute: number; count: number }>();

function withinBudget(provider: string, now = Date.now()): boolean {
  const minute = Math.floor(now / 60_000);
  const seen = recent.get(provider);
  if (!seen || seen.minute !== minute) {
    recent.set(provider, { minute, count: 1 });
    return true;
  }
  seen.count += 1;
  return seen.count <= NOTES_PER_MINUTE;
}

/**
 * Notes a provider webhook whose signature did not verify, for the System health page. Never throws:
 * the caller's 403 must go out whether or not the note could be written (the database may be the problem).
 */
export async function recordWebhookFailure(deps: ScopedDeps, failure: WebhookFailure): Promise<void> {
  if (!withinBudget(failure.provider)) return;
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
