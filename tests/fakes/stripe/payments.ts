// Charging a customer in the fake: no card network, just a decision. The per-customer switch (tests and
// POST /__fake/payments) wins; otherwise the customer's default card decides (a card attached from
// pm_card_chargeCustomerFail or Checkout's "failing card" declines every charge; no card at all fails).
import type { PaymentOutcome, StripeAccount } from './account.js';
import { stripeId } from './ids.js';

export function setPaymentOutcome(account: StripeAccount, customerId: string, outcome: PaymentOutcome, count?: number): void {
  if (!account.customers.has(customerId)) throw new Error(`no customer ${customerId}`);
  const state = account.paymentSwitches.get(customerId) ?? { queue: [] };
  if (count === undefined) state.standing = outcome;
  else state.queue.push(...Array<PaymentOutcome>(count).fill(outcome));
  account.paymentSwitches.set(customerId, state);
}

export type Charge = { paid: true } | { paid: false; reason: string };

export function chargeCustomer(account: StripeAccount, customerId: string, cardOverride?: string): Charge {
  const state = account.paymentSwitches.get(customerId);
  const switched = state?.queue.shift() ?? state?.standing;
  if (switched) return switched === 'succeed' ? { paid: true } : { paid: false, reason: 'Your card was declined.' };
  const cardId = cardOverride ?? account.customers.get(customerId)?.invoice_settings.default_payment_method;
  const card = cardId ? account.paymentMethods.get(cardId) : undefined;
  if (!card) return { paid: false, reason: 'The customer has no default payment method.' };
  return card.declines ? { paid: false, reason: 'Your card was declined.' } : { paid: true };
}

/** Test tokens as Stripe knows them (pm_card_visa, pm_card_chargeCustomerFail, ...) become an attached card. */
export function attachCard(account: StripeAccount, token: string): string {
  if (account.paymentMethods.has(token)) return token;
  const declines = /Fail|Declined|decline/i.test(token);
  const id = stripeId('pm');
  account.paymentMethods.set(id, { id, declines });
  return id;
}
