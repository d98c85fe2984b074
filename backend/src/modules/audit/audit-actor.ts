import { actingAsTenantId, actorId, type Principal } from '../auth/principal.js';
import type { AuditEvent } from './types.js';

/** The actor/request part of an audit event, from who acts and where the request came from. */
export function auditOrigin(actor: { principal: Principal; requestId: string | null; ip: string | null }): Pick<AuditEvent, 'actor' | 'requestId' | 'ip'> {
  const { principal } = actor;
  return {
    actor: { type: principal.kind, id: actorId(principal), actingAsTenantId: actingAsTenantId(principal) },
    requestId: actor.requestId,
    ip: actor.ip,
  };
}
