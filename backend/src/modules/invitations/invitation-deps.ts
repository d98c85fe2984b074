import type { RunInScope } from '../../db/tenant-scope.js';
import type { Logger } from '../../logger.js';
import type { MailPort } from '../../ports/mail.js';
import type { RecordAuditEvent } from '../audit/types.js';

export type InvitationDeps = {
  runInScope: RunInScope;
  recordAuditEvent: RecordAuditEvent;
  mail: MailPort;
  logger: Logger;
  publicUrl: string;
  /** PORTAL_URL: the accept page is a portal page. */
  portalUrl: string;
};

export const DEFAULT_INVITATION_TTL_DAYS = 7;

export function acceptUrl(portalUrl: string, token: string): string {
  return `${portalUrl}/invitations/accept?token=${encodeURIComponent(token)}`;
}

/** What the API shows of an invitation (never the token or its hash). */
export type InvitationView = {
  id: string;
  email: string;
  role: string;
  tenantId: string | null;
  expiresAt: string;
  createdAt: string;
};

export function toInvitationView(row: {
  id: string;
  email: string;
  role: string;
  tenantId: string | null;
  expiresAt: Date;
  createdAt: Date;
}): InvitationView {
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    tenantId: row.tenantId,
    expiresAt: new Date(row.expiresAt).toISOString(),
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
