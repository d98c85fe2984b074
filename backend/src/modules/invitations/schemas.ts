import { z } from 'zod';
import { ROLES } from '../auth/permissions.js';
import { emailField, newPasswordField, tokenField } from '../auth/schemas.js';

export const createInvitationBody = z.strictObject({
  email: emailField,
  role: z.enum(ROLES),
  /** Only for agency staff at agency level inviting into a tenant; otherwise the tenant comes from the session. */
  tenantId: z.uuid().optional(),
  expiresInDays: z.number().int().min(1).max(30).optional(),
});

export const invitationIdParams = z.strictObject({ id: z.uuid() });
export const inspectInvitationBody = z.strictObject({ token: tokenField });
export const acceptInvitationBody = z.strictObject({
  token: tokenField,
  name: z.string().trim().min(1).max(200).optional(),
  password: newPasswordField.optional(),
});
