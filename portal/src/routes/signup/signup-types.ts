import type { Entitlements } from '../(app)/billing/billing-types.js';

/** A plan on the public sign-up page (GET /api/v1/signup). */
export type SignupPlan = {
  id: string;
  name: string;
  description: string;
  currency: string;
  monthlyPriceMinor: number;
  yearlyPriceMinor: number | null;
  trialDays: number;
  entitlements: Entitlements;
};

/** `google`: Google sign-in is configured, so the page offers "Continue with Google" (absent from older APIs). */
export type SignupOffer = { agency: { id: string }; plans: SignupPlan[]; available: boolean; message: string | null; google?: boolean };
