import { z } from 'zod';
import { PERMISSIONS, ROLES } from './permissions.js';

// Shared field shapes for the identity routes. Objects are strict: unknown fields are a 400.
export const emailField = z.string().trim().toLowerCase().pipe(z.email().max(320));
export const newPasswordField = z
  .string()
  .min(12, 'must be at least 12 characters')
  .max(256, 'must be at most 256 characters');
export const tokenField = z.string().min(20).max(200).regex(/^[A-Za-z0-9_-]+$/, 'is not a valid token');

export const emptyObject = z.strictObject({});
export const loginBody = z.strictObject({ email: emailField, password: z.string().min(1).max(1024) });
export const tenantChoiceBody = z.strictObject({ tenantId: z.uuid() });
export const resetRequestBody = z.strictObject({ email: emailField });
export const resetConfirmBody = z.strictObject({ token: tokenField, password: newPasswordField });

// Google adds parameters of its own (scope, authuser, prompt, hd...), so this one is not strict.
export const googleCallbackQuery = z.object({
  code: z.string().max(2048).optional(),
  state: z.string().max(256).optional(),
  error: z.string().max(256).optional(),
});

// Response shapes, for /openapi.json.
export const csrfView = z.object({ csrfToken: z.string() });
export const resetRequestedView = z.object({
  status: z.literal('accepted'),
  message: z.string(),
  /** false: this server sends no e-mail at all (no SMTP), so the person should ask an admin. Says nothing about the address. */
  mailConfigured: z.boolean(),
});
export const logoutAllView = z.object({ sessionsEnded: z.number().int() });
export const currentUserView = z.object({
  user: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
  role: z.enum(ROLES),
  agencyId: z.uuid(),
  tenantId: z.uuid().nullable(),
  actingAs: z.object({ agencyRole: z.enum(ROLES) }).nullable(),
  permissions: z.array(z.enum(PERMISSIONS)),
  memberships: z.array(
    z.object({
      id: z.uuid(),
      role: z.enum(ROLES),
      agencyId: z.uuid(),
      tenantId: z.uuid().nullable(),
      tenantName: z.string().nullable(),
      tenantStatus: z.string().nullable(),
    }),
  ),
  featureFlags: z.record(z.string(), z.boolean()),
});
