import type { ScopedDeps } from '../../db/scoped-deps.js';
import { queryOne, queryRows } from '../../db/sql.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { Permission } from '../auth/permissions.js';
import { findTokenForBearer, insertServiceToken, markRevoked } from './service-token-repository.js';
import { formatToken, newSecret, parseToken, secretMatches } from './token-secret.js';

export const N8N_TOKEN_NAME = 'n8n';

/** What the Switchboard nodes need (docs/n8n-api.md): act for any tenant of the agency, and the tenant work itself. */
export const N8N_TOKEN_PERMISSIONS: Permission[] = [
  'agency.act_as_tenant',
  'agency.tenants.read',
  'agency.event_subscriptions.manage',
  'tenant.read',
  'tenant.contacts.read',
  'tenant.contacts.write',
  'tenant.messages.read',
  'tenant.messages.send',
  'tenant.event_subscriptions.manage',
  'tenant.ai.use',
  'tenant.payments.manage',
  'tenant.bookings.read',
  'tenant.bookings.write',
];

const SYSTEM_ACTOR = { type: 'system' as const, id: 'provision-n8n-token' };

/**
 * Issues the agency-level "n8n" token, or rotates it when one is live (we keep only hashes, so handing the
 * token to n8n again means a new secret; the old one is revoked and points at its replacement). Runs at
 * every stack start before n8n's bootstrap, which writes the token into n8n's credential.
 */
export async function provisionN8nToken(
  deps: ScopedDeps,
  input: { agencyId: string },
): Promise<{ token: string; tokenId: string; rotatedFrom: string[] }> {
  return deps.runInScope({ agencyId: input.agencyId }, async (tx) => {
    // Two stacks starting at once must not both create a token.
    await queryRows(tx, `SELECT pg_advisory_xact_lock(hashtext('provision-n8n-token:' || :agencyId))`, input);
    const live = await queryRows<{ id: string }>(
      tx,
      `SELECT id FROM service_tokens WHERE agency_id = :agencyId AND tenant_id IS NULL AND name = :name AND revoked_at IS NULL FOR UPDATE`,
      { ...input, name: N8N_TOKEN_NAME },
    );
    const { secret, secretHash } = newSecret();
    const token = await insertServiceToken(tx, {
      agencyId: input.agencyId, tenantId: null, name: N8N_TOKEN_NAME, permissions: N8N_TOKEN_PERMISSIONS, secretHash,
      createdByType: 'system', createdById: SYSTEM_ACTOR.id,
    });
    for (const old of live) await markRevoked(tx, { tokenId: old.id, replacedById: token.id });
    await recordAuditEvent(tx, {
      agencyId: input.agencyId, tenantId: null, actor: SYSTEM_ACTOR, requestId: null, ip: null,
      action: live.length > 0 ? 'service_token.rotated' : 'service_token.created',
      target: { type: 'service_token', id: token.id },
      after: { name: N8N_TOKEN_NAME, permissions: N8N_TOKEN_PERMISSIONS, replaces: live.map((t) => t.id) },
    });
    return { token: formatToken(token.id, secret), tokenId: token.id, rotatedFrom: live.map((t) => t.id) };
  });
}

/**
 * Whether `token` is the agency's live n8n token with today's permissions. Lets a deployment that keeps
 * the token in a file (compose) reuse it across restarts instead of rotating it under a running n8n.
 */
export async function isCurrentN8nToken(deps: ScopedDeps, input: { agencyId: string; token: string }): Promise<boolean> {
  const parsed = parseToken(input.token.trim());
  if (!parsed) return false;
  const stored = await deps.runInScope({ serviceTokenId: parsed.id }, (tx) => findTokenForBearer(tx, parsed.id));
  return (
    !!stored && !stored.revokedAt && stored.agencyId === input.agencyId && stored.tenantId === null && stored.name === N8N_TOKEN_NAME &&
    secretMatches(parsed.secret, stored.secretHash) &&
    N8N_TOKEN_PERMISSIONS.every((p) => stored.permissions.includes(p)) && stored.permissions.length === N8N_TOKEN_PERMISSIONS.length
  );
}

/** The installation's agency (the oldest one: an appliance has one). */
export async function findInstallationAgency(deps: ScopedDeps): Promise<string | undefined> {
  return deps.runInScope({}, async (tx) => (await queryOne<{ id: string }>(tx, 'SELECT id FROM agencies ORDER BY created_at, id LIMIT 1'))?.id);
}
