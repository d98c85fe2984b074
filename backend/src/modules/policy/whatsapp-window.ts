import type { ChannelPolicy, PolicyResult } from './policy-types.js';

const WINDOW_MS = 24 * 3_600_000;

/**
 * WhatsApp's customer-service window: free-form text only within 24 hours of the contact's last message to
 * us on WhatsApp; outside it, only an approved template may start the conversation. Meta rejects such
 * sends (error 131047), so the policy denies them up front with a reason an operator (or the after-call
 * workflow's SMS fallback) can act on.
 */
export const whatsappSessionWindow: ChannelPolicy = (input) => {
  if (input.channel !== 'whatsapp' || input.template) return undefined;
  const last = input.contact.lastInboundAt;
  const age = last ? input.now.getTime() - last.getTime() : Number.POSITIVE_INFINITY;
  if (age >= 0 && age <= WINDOW_MS) return undefined;
  const denied: PolicyResult & { decision: 'deny' } = {
    decision: 'deny',
    reason: {
      code: 'WHATSAPP_SESSION_CLOSED',
      message: last
        ? 'WhatsApp allows free-form text only within 24 hours of the contact\'s last message: send an approved template'
        : 'The contact never wrote to us on WhatsApp: only an approved template can start the conversation',
    },
  };
  return denied;
};

/** Channel rules every send gets unless the caller supplies its own (MessagingDeps.channelRules). */
export const DEFAULT_CHANNEL_RULES: Partial<Record<string, readonly ChannelPolicy[]>> = { whatsapp: [whatsappSessionWindow] };
