import type { Transaction } from 'sequelize';
import type { StoredAuditEvent } from './audit-repository.js';
import { findAuditNames, type AuditReferences } from './audit-names-repository.js';

export type NamedAuditEvent = StoredAuditEvent & { actorName: string | null; targetName: string | null };

/** Audit target types whose ids name a row we can look up (others, e.g. provider accounts, are names already). */
const TARGET_KINDS: Record<string, keyof AuditReferences> = {
  user: 'users', tenant: 'tenants', contact: 'contacts', agent: 'agents', membership: 'memberships', invitation: 'invitations', service_token: 'serviceTokens',
};

/** People read names, not ids: who acted (a person or an automation's token) and what they acted on. */
export async function nameAuditEvents(tx: Transaction, events: StoredAuditEvent[]): Promise<NamedAuditEvent[]> {
  const refs: AuditReferences = { users: [], tenants: [], contacts: [], agents: [], memberships: [], invitations: [], serviceTokens: [] };
  for (const event of events) {
    if (event.actorId && event.actorType === 'user') refs.users.push(event.actorId);
    if (event.actorId && event.actorType === 'service') refs.serviceTokens.push(event.actorId);
    const kind = event.targetType ? TARGET_KINDS[event.targetType] : undefined;
    if (kind && event.targetId) refs[kind].push(event.targetId);
  }
  const names = await findAuditNames(tx, refs);
  return events.map((event) => {
    const actorKind = event.actorType === 'user' ? 'users' : event.actorType === 'service' ? 'serviceTokens' : undefined;
    const targetKind = event.targetType ? TARGET_KINDS[event.targetType] : undefined;
    return {
      ...event,
      actorName: (actorKind && event.actorId && names[actorKind].get(event.actorId)) || null,
      targetName: (targetKind && event.targetId && names[targetKind].get(event.targetId)) || null,
    };
  });
}
