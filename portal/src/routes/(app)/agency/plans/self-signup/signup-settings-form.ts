/** GET/PUT /api/v1/agency/billing/self-signup. */
export type SignupSettings = {
  enabled: boolean;
  planIds: string[];
  plans: { id: string; name: string; offerable: boolean; reason: 'archived' | 'not_synced' | null }[];
  signupUrl: string;
  mailConfigured: boolean;
  stripeConnected: boolean;
  warnings: string[];
};

/**
 * The settings form: the switch and the ticked plans, in the order the page lists them (the order /signup shows
 * them in). A plan that cannot be offered is never sent, even if its box was forced on.
 */
export function readSignupSettingsForm(data: FormData, plans: SignupSettings['plans']): { enabled: boolean; planIds: string[] } {
  const ticked = new Set(data.getAll('planId').map(String));
  return {
    enabled: data.get('enabled') === 'on',
    planIds: plans.filter((plan) => plan.offerable && ticked.has(plan.id)).map((plan) => plan.id),
  };
}

const REASONS: Record<'archived' | 'not_synced', string> = {
  archived: 'archived',
  not_synced: 'not synced to Stripe yet: use Retry sync on the Plans page',
};

/** Why a plan's box is disabled, in words. */
export const unofferableReason = (reason: 'archived' | 'not_synced' | null) => (reason ? REASONS[reason] : null);
