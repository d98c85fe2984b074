/** Which channels the tenant can send on now (GET /api/v1/channels/availability). */
export type Availability = { sms: boolean; whatsapp: boolean; telegram: boolean; details?: Record<string, string> };
type Reachable = { phone: string | null; telegramChatId: string | null };

/**
 * The channels a reply can go out on: the conversation's own channel first, then the others, each only when
 * the business has it connected and the contact has an address there. Web chat answers in the open widget.
 * Without availability (an older API), only the conversation's channel is offered, as before.
 */
export function replyChannels(conversationChannel: string, availability: Availability | null, contact: Reachable | null): string[] {
  if (!availability) return [conversationChannel];
  const usable = (channel: string): boolean => {
    if (channel === 'web') return channel === conversationChannel;
    if (channel === 'sms' || channel === 'whatsapp') return availability[channel] && (contact ? !!contact.phone : channel === conversationChannel);
    if (channel === 'telegram') return availability.telegram && (contact ? !!contact.telegramChatId : channel === conversationChannel);
    return false;
  };
  return [conversationChannel, ...['whatsapp', 'sms', 'telegram'].filter((c) => c !== conversationChannel)].filter(usable);
}
