import type { ScopedDeps } from '../../db/scoped-deps.js';
import { isUniqueViolation } from '../../db/sql.js';
import type { Actor } from '../../http/request-context.js';
import { AppError } from '../../http/errors.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { insertTenant, type Tenant } from './tenant-repository.js';

export async function createTenant(
  deps: ScopedDeps,
  input: { actor: Actor; name: string; slug: string; timeZone: string },
): Promise<Tenant> {
  const { agencyId } = input.actor.principal;
  try {
    return await deps.runInScope({ agencyId }, async (tx) => {
      const tenant = await insertTenant(tx, { agencyId, name: input.name, slug: input.slug, timeZone: input.timeZone });
      await recordAuditEvent(tx, {
        agencyId,
        tenantId: tenant.id,
        ...auditOrigin(input.actor),
        action: 'tenant.created',
        target: { type: 'tenant', id: tenant.id },
        after: { name: tenant.name, slug: tenant.slug, timeZone: tenant.timeZone, status: tenant.status },
      });
      return tenant;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new AppError('CONFLICT', `The slug "${input.slug}" is already taken`);
    throw err;
  }
}
