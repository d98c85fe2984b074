import { AppError } from '../../http/errors.js';
import type { Principal } from '../auth/principal.js';
import { toInvitationView, type InvitationDeps, type InvitationView } from './invitation-deps.js';
import { listPendingInvitations } from './invitation-repository.js';

/** Pending invitations where the caller acts: their tenant, or (agency level) the whole agency. */
export async function listInvitations(
  deps: Pick<InvitationDeps, 'runInScope'>,
  principal: Extract<Principal, { kind: 'user' }>,
): Promise<InvitationView[]> {
  const permission = principal.tenantId ? 'tenant.users.read' : 'agency.users.read';
  if (!principal.permissions.has(permission)) throw new AppError('FORBIDDEN', 'You do not have permission to do this', { permission });
  const scope = { agencyId: principal.agencyId, tenantId: principal.tenantId ?? null };
  const rows = await deps.runInScope({ agencyId: scope.agencyId, tenantId: principal.tenantId }, (t) => listPendingInvitations(t, scope));
  return rows.map(toInvitationView);
}
