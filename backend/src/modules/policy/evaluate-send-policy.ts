import { decideEntitlement } from '../entitlements/decide-entitlement.js';
import { isWithinSendingWindow, nextWindowOpening } from './sending-window.js';
import { POLICY_REASONS, type CorePolicyReasonCode, type InboundEvidence, type PolicyResult, type SendPolicyInput } from './policy-types.js';

const HOUR = 3_600_000;

function result(decision: PolicyResult['decision'], code: CorePolicyReasonCode, detail?: string, until?: Date): PolicyResult {
  const message = detail ? `${POLICY_REASONS[code]} (${detail})` : POLICY_REASONS[code];
  return until ? { decision, reason: { code, message }, until } : { decision, reason: { code, message } };
}

/**
 * The inbound event that makes this send a reply: the contact called or wrote (on this address) within the
 * reply window, so they started the conversation. Returns undefined when there is none.
 */
export function replyEvidence(input: Pick<SendPolicyInput, 'now' | 'contact' | 'rules'>): InboundEvidence | { kind: 'message'; id: null; at: Date } | undefined {
  const last = input.contact.lastInbound ?? (input.contact.lastInboundAt ? { kind: 'message' as const, id: null, at: input.contact.lastInboundAt } : null);
  if (!last || input.rules.replyWindowHours <= 0) return undefined;
  const age = input.now.getTime() - last.at.getTime();
  return age >= 0 && age <= input.rules.replyWindowHours * HOUR ? last : undefined;
}

/** A reply: the contact called or wrote to us within the reply window (they started the conversation). */
export function isReply(input: Pick<SendPolicyInput, 'now' | 'contact' | 'rules'>): boolean {
  return replyEvidence(input) !== undefined;
}

function describeEvidence(evidence: NonNullable<ReturnType<typeof replyEvidence>>): string {
  const what = evidence.kind === 'call' ? 'call' : 'message';
  return `reply to the contact's ${what}${evidence.id ? ` ${evidence.id}` : ''} at ${evidence.at.toISOString()}`;
}

/** When the frequency cap lets the next message out: once enough of the counted sends have aged out. */
export function frequencyCapUntil(input: Pick<SendPolicyInput, 'now' | 'rules' | 'recentSends'>): Date | undefined {
  const cap = input.rules.frequencyCap;
  if (!cap) return undefined;
  const now = input.now.getTime();
  const counted = input.recentSends
    .map((sent) => sent.getTime())
    .filter((sent) => sent > now - cap.hours * HOUR && sent <= now)
    .sort((a, b) => a - b);
  if (counted.length < cap.count) return undefined;
  return new Date(counted[counted.length - cap.count]! + cap.hours * HOUR);
}

/**
 * THE send policy: every outbound message passes here, before it is stored and again before it leaves.
 * Pure (no I/O, `now` is an input), so every rule is table-tested. Order:
 * 1. tenant suspended -> deny;
 * 2. opted out -> deny (the opt-out confirmation and HELP replies still go: carriers require them);
 * 3. opt-in required on the channel and none recorded -> deny, unless transactional;
 * 4. billing: a subscription restricted for non-payment (past due beyond its grace, unpaid, canceled, paused)
 *    -> deny, unless transactional (the entitlement check's own decision, so both always agree);
 *    then channel rules (WhatsApp session window, agent handoff) -> their deny/defer;
 * 5. transactional (a reply within the reply window, opt-in/opt-out confirmations, HELP) -> allow; a reply names
 *    the inbound call or message that opened the window (its evidence), so the record says why it was allowed;
 * 6. outside the sending window in the recipient's local time, or over the frequency cap -> defer to the
 *    earliest instant both allow (never dropped: the message waits);
 * 7. allow.
 */
export function evaluateSendPolicy(input: SendPolicyInput): PolicyResult {
  if (input.tenantStatus !== 'active') return result('deny', 'TENANT_SUSPENDED');
  const compliance = input.purpose === 'opt_out_confirmation' || input.purpose === 'help_reply';
  if (input.contact.consent === 'opted_out' && !compliance) return result('deny', 'OPTED_OUT', input.channel);
  const reply = input.purpose === 'message' ? replyEvidence(input) : undefined;
  const transactional = input.purpose !== 'message' || reply !== undefined;
  if (input.rules.optInRequired && input.contact.consent !== 'opted_in' && !transactional) {
    return result('deny', 'CONSENT_REQUIRED', input.channel);
  }
  if (input.billing && !decideEntitlement(input.billing, { kind: 'send', transactional }, input.now).allowed) {
    return result('deny', 'SUBSCRIPTION_RESTRICTED', input.billing.status);
  }
  for (const rule of input.channelRules ?? []) {
    const verdict = rule(input);
    if (verdict) return verdict;
  }
  if (reply) {
    const allowed = result('allow', 'ALLOWED_TRANSACTIONAL', describeEvidence(reply));
    return reply.id ? { ...allowed, evidence: { kind: reply.kind, id: reply.id, at: reply.at } } : allowed;
  }
  if (transactional) return result('allow', 'ALLOWED_TRANSACTIONAL', input.purpose);

  const { timeZone } = input.contact;
  const window = input.rules.sendingWindow;
  const capUntil = frequencyCapUntil(input);
  const earliest = capUntil && capUntil > input.now ? capUntil : input.now;
  const until = nextWindowOpening(earliest, timeZone, window);
  if (until.getTime() === input.now.getTime()) return result('allow', 'ALLOWED');
  if (!isWithinSendingWindow(input.now, timeZone, window)) {
    return result('defer', 'OUTSIDE_SENDING_WINDOW', `${window.start}-${window.end} ${timeZone}`, until);
  }
  const cap = input.rules.frequencyCap!;
  return result('defer', 'FREQUENCY_CAP', `${cap.count} per ${cap.hours} h`, until);
}
