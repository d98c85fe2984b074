import type { Transaction } from 'sequelize';

/**
 * An audit event is written in the SAME transaction as the change it records (module audit owns the
 * writer `recordAuditEvent(transaction, event)` in record-audit-event.ts). Secrets in before/after
 * are redacted by the writer.
 */
export type AuditEvent = {
  agencyId: string;
  tenantId?: string | null;
  actor: { type: 'user' | 'service' | 'system' | 'anonymous'; id?: string | null; actingAsTenantId?: string | null };
  action: string; // e.g. 'auth.login.succeeded', 'tenant.suspended', 'membership.role_changed'
  target?: { type: string; id?: string | null };
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  requestId?: string | null;
  ip?: string | null;
};

export type RecordAuditEvent = (transaction: Transaction, event: AuditEvent) => Promise<void>;
