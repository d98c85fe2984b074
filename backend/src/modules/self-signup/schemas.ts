import { z } from 'zod';
import { uuid } from '../../http/schemas.js';
import { emailField, newPasswordField, tokenField } from '../auth/schemas.js';
import { entitlementsSchema } from '../plans/entitlements.js';

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

// The agency owner's settings.
export const signupSettingsBody = z.strictObject({
  enabled: z.boolean(),
  planIds: z.array(uuid).max(20).refine((ids) => new Set(ids).size === ids.length, 'Each plan once').describe('The plans /signup offers, in this order'),
});
export type SignupSettingsBody = z.infer<typeof signupSettingsBody>;

export const signupPlanView = z.object({
  id: uuid, name: z.string(), description: z.string(), currency: z.string(),
  monthlyPriceMinor: z.number().int(), yearlyPriceMinor: z.number().int().nullable(), trialDays: z.number().int(),
  entitlements: entitlementsSchema,
});
export type SignupPlanView = z.infer<typeof signupPlanView>;

export const signupSettingsView = z.object({
  enabled: z.boolean(),
  planIds: z.array(uuid),
  /** Every plan of the agency, and whether it can be offered (active and mirrored to Stripe). */
  plans: z.array(z.object({ id: uuid, name: z.string(), offerable: z.boolean(), reason: z.enum(['archived', 'not_synced']).nullable() })),
  /** The link the agency shares: PORTAL_URL/signup?agency=<id>. */
  signupUrl: z.string(),
  mailConfigured: z.boolean(),
  stripeConnected: z.boolean(),
  /** Sentences for the settings page: why sign-up cannot work right now, if it cannot. */
  warnings: z.array(z.string()),
});
export type SignupSettingsView = z.infer<typeof signupSettingsView>;

// The public page.
export const signupOfferQuery = z.strictObject({ agency: uuid.optional() });
export const signupOfferView = z.object({
  agency: z.object({ id: uuid }),
  plans: z.array(signupPlanView),
  /** false: this server cannot send the verification e-mail, so sign-up is unavailable. */
  available: z.boolean(),
  message: z.string().nullable(),
  /** Google sign-in is configured: the page offers "Continue with Google" beside the password form. */
  google: z.boolean(),
});
export type SignupOfferView = z.infer<typeof signupOfferView>;

export const signupRequestBody = z.strictObject({
  agencyId: uuid.optional().describe('From the shared link; the installation\'s agency when absent'),
  businessName: z.string().trim().min(2, 'must be at least 2 characters').max(200),
  name: z.string().trim().min(1, 'is required').max(200),
  email: emailField,
  password: newPasswordField,
  timeZone: z.string().max(64).refine(isTimeZone, 'must be an IANA time zone, e.g. Europe/Berlin').default('UTC'),
  planId: uuid,
  interval: z.enum(['month', 'year']).default('month'),
});
export type SignupRequestBody = z.infer<typeof signupRequestBody>;

/** "Continue with Google": the form without e-mail and password (Google supplies and verifies the address). */
export const googleSignupQuery = signupRequestBody.omit({ email: true, password: true });
export type GoogleSignupQuery = z.infer<typeof googleSignupQuery>;
/** What travels in the server-side OAuth state: the form, its agency resolved. */
export type GoogleSignupIntent = GoogleSignupQuery & { agencyId: string };

export const signupRequestedView = z.object({
  status: z.literal('accepted'),
  /** false: this server sends no e-mail at all, so nothing was stored or sent (says nothing about the address). */
  mailConfigured: z.boolean(),
  message: z.string(),
});
export type SignupRequested = z.infer<typeof signupRequestedView>;

export const signupVerifyBody = z.strictObject({ agencyId: uuid, token: tokenField });
export const signupCompletedView = z.object({
  tenantId: uuid,
  /** Stripe Checkout for the chosen plan; null when Stripe could not be reached (pay later from /billing). */
  checkoutUrl: z.string().nullable(),
});
