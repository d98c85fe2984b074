import { FLAGS, type FlagKey } from '../feature-flags/flag-registry.js';
import type { PlanChannel } from '../plans/entitlements.js';
import type { SubscriptionStatus } from '../plans/subscription-repository.js';

// Sentences a business owner reads in the portal beside an "Upgrade plan" button.

const CHANNEL_NAMES: Record<PlanChannel, string> = {
  sms: 'SMS', voice: 'voice calls', whatsapp_linked: 'WhatsApp on a linked phone', whatsapp_cloud: 'the WhatsApp Cloud API',
  telegram: 'Telegram', web_chat: 'web chat',
};

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

export function agentLimitMessage(limit: number, current: number): string {
  return `Your plan includes ${plural(limit, 'AI agent', 'AI agents')} and you have ${current} switched on. `
    + 'Upgrade your plan to add another, or switch one off first.';
}

export function seatLimitMessage(limit: number, current: number): string {
  return `Your plan includes ${plural(limit, 'team seat', 'team seats')} and ${plural(current, 'is', 'are')} taken `
    + '(people and pending invitations). Upgrade your plan to invite someone else.';
}

export function channelMissingMessage(channel: PlanChannel): string {
  return `Your plan does not include ${CHANNEL_NAMES[channel]}. Upgrade your plan to connect it.`;
}

export function featureMissingMessage(feature: FlagKey): string {
  const description = FLAGS.find((flag) => flag.key === feature)?.description ?? feature;
  return `Your plan does not include this feature (${description.charAt(0).toLowerCase()}${description.slice(1)}). Upgrade your plan to use it.`;
}

const WHY: Partial<Record<SubscriptionStatus, string>> = {
  past_due: 'Your subscription payment is overdue',
  // Overdue past the retries, or a business that signed up and has not paid yet (self sign-up).
  unpaid: 'Your subscription is not paid',
  canceled: 'Your subscription has ended',
  paused: 'Your subscription is paused',
};

export function restrictedMessage(status: SubscriptionStatus, what: 'send' | 'ai.turn'): string {
  const stopped = what === 'send' ? 'new outgoing messages (campaigns and follow-ups) are paused' : 'AI replies are paused and your team takes over';
  return `${WHY[status] ?? 'Your subscription is not active'}, so ${stopped}. Replies to your customers' messages and opt-out confirmations `
    + 'still go out. Update your payment or choose a plan to restore everything.';
}
