import type { EventBus } from '../../ports/events.js';
import type { BillingAccountDeps } from '../billing-account/billing-account-deps.js';

/** Plans and manual subscriptions: the agency's Stripe account (billing-account) and the event bus. */
export type PlanDeps = BillingAccountDeps & { events: EventBus };
