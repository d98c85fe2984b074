import type { Transaction } from 'sequelize';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import type { TenantScope } from '../contacts/contact-scope.js';

/** Staff changes to what can be booked are audited (bookings themselves are events, not audit entries). */
export async function auditBookingSetting(
  tx: Transaction,
  input: { scope: TenantScope; actor: Actor; action: string; target: { type: string; id: string }; after?: Record<string, unknown> },
): Promise<void> {
  await recordAuditEvent(tx, { ...input.scope, ...auditOrigin(input.actor), action: input.action, target: input.target, after: input.after });
}
