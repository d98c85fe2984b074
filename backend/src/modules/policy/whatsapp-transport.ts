import type { Channel } from '../../ports/messaging.js';
import type { MessagingSettings } from './messaging-settings.js';
import type { ChannelPolicy } from './policy-types.js';
import { DEFAULT_CHANNEL_RULES, whatsappSessionWindow } from './whatsapp-window.js';

export const WHATSAPP_TRANSPORTS = ['baileys', 'cloud'] as const;
export type WhatsAppTransport = (typeof WHATSAPP_TRANSPORTS)[number];

/** The adapter registry's provider name for each transport (adapters/messaging/select-messaging.ts). */
const PROVIDER_OF: Record<WhatsAppTransport, string> = { baileys: 'baileys', cloud: 'whatsapp_cloud' };

/**
 * The provider an outbound message row is stamped with when it is requested, so the pipeline sends it
 * with the tenant's chosen WhatsApp transport. Other channels have one provider: null lets the
 * registry take the channel's default.
 */
export function providerForSend(channel: Channel, settings: Pick<MessagingSettings, 'whatsappTransport'>): string | null {
  return channel === 'whatsapp' ? PROVIDER_OF[settings.whatsappTransport] : null;
}

/**
 * The default channel rules for one send. The 24-hour window is Meta's rule for Cloud API numbers;
 * on a linked-device number it is the tenant's choice (on by default: cold free-form messages are
 * what gets linked numbers banned).
 */
export function defaultChannelRules(
  channel: Channel,
  settings: Pick<MessagingSettings, 'linkedDeviceSessionWindow' | 'linkedDeviceColdContacts'>,
  provider: string | null | undefined,
): readonly ChannelPolicy[] | undefined {
  const rules = DEFAULT_CHANNEL_RULES[channel];
  if (channel !== 'whatsapp' || provider !== PROVIDER_OF.baileys) return rules;
  // On a linked device the window is the tenant's choice; the cold-contact guard stays unless they allow cold messages.
  const kept = settings.linkedDeviceSessionWindow ? [...(rules ?? [])] : (rules ?? []).filter((rule) => rule !== whatsappSessionWindow);
  return settings.linkedDeviceColdContacts ? kept : [linkedDeviceColdContactGuard, ...kept];
}

/**
 * Ban-risk care for linked-device numbers: no messages to contacts who never wrote to the number on
 * WhatsApp (bulk cold messages are what gets personal numbers banned), unless the tenant allows it.
 */
export const linkedDeviceColdContactGuard: ChannelPolicy = (input) => {
  if (input.channel !== 'whatsapp' || input.contact.lastInboundAt) return undefined;
  return {
    decision: 'deny',
    reason: {
      code: 'WHATSAPP_COLD_CONTACT',
      message: 'This contact never wrote to your linked WhatsApp number: messaging them first risks a ban (allow it in the messaging settings)',
    },
  };
};
