import { channelLabel } from '#lib/labels.js';
import type { Entitlements, SubscriptionStatus } from './billing-types.js';

const PLAN_CHANNELS: Record<string, string> = {
  sms: 'SMS', voice: 'Phone calls', whatsapp_linked: 'WhatsApp (linked phone)', whatsapp_cloud: 'WhatsApp (Cloud API)', telegram: 'Telegram', web_chat: 'Web chat',
};
const METERS: [keyof Entitlements['allowances'], string][] = [
  ['sms_segments', 'SMS segments'], ['voice_minutes', 'voice minutes'], ['whatsapp_messages', 'WhatsApp messages'], ['ai_tokens', 'AI tokens'], ['ai_replies', 'AI replies'],
];

const count = (n: number | null, one: string, many: string) => (n === null ? `Unlimited ${many}` : `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`);

/** A plan's entitlements as lines a business owner reads ("2 AI agents", "SMS, Web chat", "500 SMS segments a month"). */
export function planIncludes(e: Entitlements): string[] {
  const channels = e.channels.map((c) => PLAN_CHANNELS[c] ?? channelLabel(c));
  return [
    count(e.agents, 'AI agent', 'AI agents'),
    count(e.seats, 'team member', 'team members'),
    channels.length > 0 ? channels.join(', ') : 'No channels',
    ...METERS.filter(([meter]) => e.allowances[meter] > 0).map(([meter, label]) => `${e.allowances[meter].toLocaleString('en-US')} ${label} a month`),
    ...(e.features.length > 0 ? [`Also: ${e.features.join(', ')}`] : []),
  ];
}

const STATUS: Record<SubscriptionStatus, string> = {
  trialing: 'Free trial', active: 'Active', past_due: 'Payment failed', unpaid: 'Unpaid', canceled: 'Canceled', paused: 'Paused', incomplete: 'Waiting for payment',
};

export const subscriptionStatusLabel = (status: SubscriptionStatus) => STATUS[status];
