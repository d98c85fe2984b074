import { render } from 'svelte/server';
import { describe, expect, it } from 'vitest';
import BillingBanner from './BillingBanner.svelte';

const pastDue = { state: 'past_due' as const, graceUntil: '2030-01-08T00:00:00.000Z', message: 'The last payment failed. Service continues until 2030-01-08; update the payment method to keep it running.' };
const restricted = { state: 'restricted' as const, message: 'Service is restricted because the subscription is unpaid: new messages, follow-ups and AI replies are paused.' };

describe('the billing banner on every page of a business', () => {
  it('when the payment is past due and the owner looks, then it shows the sentence and a way to the Billing page', () => {
    const body = render(BillingBanner, { props: { notice: pastDue, canPay: true } }).body;
    expect(body).toContain('Service continues until 2030-01-08');
    expect(body).toContain('href="/billing"');
    expect(body).toContain('class="banner past_due');
  });

  it('when service is restricted and a member looks, then it says why and who can pay, without a link they could not use', () => {
    const body = render(BillingBanner, { props: { notice: restricted, canPay: false } }).body;
    expect(body).toContain('the subscription is unpaid');
    expect(body).toContain("The business's owner can pay on the Billing page.");
    expect(body).not.toContain('href="/billing"');
    expect(body).toContain('role="alert"');
  });
});
