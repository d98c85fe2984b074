import { z } from 'zod';
import { isoDateTime, pagination, uuid } from '../../http/schemas.js';
import { ROLES } from '../auth/permissions.js';

export const membershipIdParams = z.strictObject({ membershipId: uuid });
export const changeRoleBody = z.strictObject({ role: z.enum(ROLES) });
export const listUsersQuery = z.strictObject({ ...pagination });

export const membershipView = z.object({ id: uuid, userId: uuid, agencyId: uuid, tenantId: uuid.nullable(), role: z.enum(ROLES) });
export const userListView = z.object({
  users: z.array(
    z.object({
      id: uuid,
      email: z.string(),
      name: z.string(),
      status: z.string(),
      memberships: z.array(z.object({ id: uuid, tenantId: uuid.nullable(), role: z.enum(ROLES), createdAt: isoDateTime })),
    }),
  ),
});
