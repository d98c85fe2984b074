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
  settings: Pick<MessagingSettings, 'linkedDeviceSessionWindow'>,
  provider: string | null | undefined,
): readonly ChannelPolicy[] | undefined {
  const rules = DEFAULT_CHANNEL_RULES[channel];
  const windowOff = channel === 'whatsapp' && provider === PROVIDER_OF.baileys && !settings.linkedDeviceSessionWindow;
  // Only the window is dropped: other WhatsApp rules (e.g. the linked-device cold-contact guard) stay.
  return windowOff ? rules?.filter((rule) => rule !== whatsappSessionWindow) : rules;
}
