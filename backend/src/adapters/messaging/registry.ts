import type { Channel, MessagingPort } from '../../ports/messaging.js';

/** Which adapter sends a message: the one its row names, else the channel's default. */
export type MessagingAdapters = {
  resolve(channel: Channel, provider: string | null): { provider: string; port: MessagingPort } | undefined;
};

export type AdapterEntry = { provider: string; port: MessagingPort; channelDefault?: boolean };

export function messagingAdapters(entries: readonly AdapterEntry[]): MessagingAdapters {
  return {
    resolve(channel, provider) {
      const candidates = entries.filter((entry) => entry.port.channel === channel);
      const chosen = provider
        ? candidates.find((entry) => entry.provider === provider)
        : (candidates.find((entry) => entry.channelDefault) ?? candidates[0]);
      return chosen && { provider: chosen.provider, port: chosen.port };
    },
  };
}
