import type { Logger } from '../../logger.js';
import type { EventBus } from '../../ports/events.js';
import type { MailPort } from '../../ports/mail.js';
import type { BillingAccountDeps } from '../billing-account/billing-account-deps.js';

/** Stripe-billed subscriptions: the agency's Stripe account, the event bus, mail for dunning and where the portal lives. */
export type SubscriptionDeps = BillingAccountDeps & {
  events: EventBus;
  mail: MailPort;
  /** The portal's base URL: Checkout and Customer Portal return to its /billing page. */
  portalUrl: string;
  logger?: Logger;
};
