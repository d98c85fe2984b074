import type { Channel } from '../../ports/messaging.js';
import type { BillingState } from '../entitlements/entitlement-types.js';

export type PolicyDecision = 'allow' | 'defer' | 'deny';

/** Stable codes (stored on the message as policy_reason); the text is for people. */
export const POLICY_REASONS = {
  ALLOWED: 'Allowed',
  ALLOWED_TRANSACTIONAL: 'Allowed outside the sending window and frequency cap: a reply, confirmation or help message',
  TENANT_SUSPENDED: 'The business is suspended: nothing is sent on its behalf',
  OPTED_OUT: 'The contact opted out on this channel',
  CONSENT_REQUIRED: 'This channel requires an opt-in and the contact has not opted in',
  OUTSIDE_SENDING_WINDOW: "Outside the sending window in the contact's local time",
  FREQUENCY_CAP: 'The contact already received the maximum number of messages for the period',
  SUBSCRIPTION_RESTRICTED: "The business's subscription is unpaid, ended or paused: only replies and confirmations go out",
} as const;
export type CorePolicyReasonCode = keyof typeof POLICY_REASONS;

/** Channel rules bring their own codes (e.g. WHATSAPP_SESSION_CLOSED). */
export type PolicyReason = { code: CorePolicyReasonCode | (string & {}); message: string };
export type PolicyResult = { decision: PolicyDecision; reason: PolicyReason; until?: Date; evidence?: InboundEvidence };

/**
 * Why a message goes out. Replies inside the reply window and the system's own compliance messages
 * are transactional: they ignore the sending window and the frequency cap (never consent, except as noted).
 */
export type SendPurpose = 'message' | 'opt_out_confirmation' | 'opt_in_confirmation' | 'help_reply';

export type ConsentState = 'opted_in' | 'opted_out' | 'unknown';

export type MessagingRules = {
  optInRequired: boolean;
  sendingWindow: { start: string; end: string };
  /** At most `count` counted sends per contact in any rolling `hours`; null = no cap. */
  frequencyCap: { count: number; hours: number } | null;
  /** A message within this many hours of the contact's last inbound call or message is a reply (0 = no reply window). */
  replyWindowHours: number;
};

/**
 * What opened the reply window: the contact's latest inbound call or message on this address (the same phone
 * number for SMS and WhatsApp). It is the evidence a reply was allowed on, distinct from a marketing opt-in.
 */
export type InboundEvidence = { kind: 'call' | 'message'; id: string; at: Date };

export type SendPolicyInput = {
  now: Date;
  channel: Channel;
  purpose: SendPurpose;
  tenantStatus: 'active' | 'suspended';
  rules: MessagingRules;
  /**
   * lastInboundAt: the contact's last message on THIS channel's conversation (channel rules such as WhatsApp's
   * session window use it). lastInbound: the latest inbound call or message from the same address on any
   * channel, which opens the reply window; absent = lastInboundAt, evidence unknown.
   */
  contact: { consent: ConsentState; timeZone: string; lastInboundAt: Date | null; lastInbound?: InboundEvidence | null };
  /** When the contact's earlier counted outbound messages went out (any order; older ones are ignored). */
  recentSends: Date[];
  /** Template name when the message is a template (channel rules such as WhatsApp's session window need it). */
  template?: string;
  /** The tenant's subscription (modules/entitlements); null or absent = billing not in use, nothing restricted. */
  billing?: BillingState | null;
  /** Extra rules for this channel, run in order after the consent checks (see ChannelPolicy). */
  channelRules?: readonly ChannelPolicy[];
};

/**
 * A channel's (or a later feature's: billing limits, agent handoff) extra rule. It can only restrict:
 * it returns a deny or a defer, or undefined to let the evaluation continue.
 */
export type ChannelPolicy = (input: SendPolicyInput) => (PolicyResult & { decision: 'deny' | 'defer' }) | undefined;
