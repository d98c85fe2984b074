import type { Transaction } from 'sequelize';
import type { Channel } from '../../ports/messaging.js';
import { consentFor } from '../consent/consent-state.js';
import { loadBillingState } from '../entitlements/billing-state-repository.js';
import type { Contact } from '../contacts/contact-repository.js';
import { evaluateSendPolicy } from '../policy/evaluate-send-policy.js';
import { findMessagingSettings, rulesFor, type MessagingSettings } from '../policy/messaging-settings.js';
import type { PolicyResult, SendPurpose } from '../policy/policy-types.js';
import { defaultChannelRules } from '../policy/whatsapp-transport.js';
import { findTenant, type Tenant } from '../tenants/tenant-repository.js';
import { findConversationOf } from './conversation-repository.js';
import { recentSendTimes } from './message-repository.js';
import { latestInboundEvent } from './reply-evidence-repository.js';
import type { MessagingDeps, TenantScope } from './messaging-deps.js';

const HOUR = 3_600_000;

/** Gathers what the policy needs about tenant, contact and recent traffic, then asks it. */
export async function decideSend(
  tx: Transaction,
  deps: Pick<MessagingDeps, 'channelRules'>,
  input: {
    scope: TenantScope; contact: Contact; channel: Channel; purpose: SendPurpose; now: Date; template?: string;
    excludeMessageId?: string; settings?: MessagingSettings; tenant?: Tenant;
    /** The message's transport (its row's provider): WhatsApp's window depends on it. */
    provider?: string | null;
  },
): Promise<PolicyResult> {
  const { scope, contact, channel, now } = input;
  const tenant = input.tenant ?? (await findTenant(tx, scope));
  const settings = input.settings ?? (await findMessagingSettings(tx, scope));
  const rules = rulesFor(settings, channel);
  const conversation = await findConversationOf(tx, { tenantId: scope.tenantId, contactId: contact.id, channel });
  const since = new Date(now.getTime() - (rules.frequencyCap?.hours ?? 24) * HOUR);
  return evaluateSendPolicy({
    now,
    channel,
    purpose: input.purpose,
    tenantStatus: tenant?.status ?? 'suspended',
    rules,
    contact: {
      consent: await consentFor(tx, { tenantId: scope.tenantId, contactId: contact.id, channel }),
      timeZone: contact.timeZone ?? tenant?.timeZone ?? 'UTC',
      lastInboundAt: conversation?.lastInboundAt ? new Date(conversation.lastInboundAt) : null,
      lastInbound: await latestInboundEvent(tx, { tenantId: scope.tenantId, contactId: contact.id, phone: contact.phone, channel, now }),
    },
    recentSends: await recentSendTimes(tx, { tenantId: scope.tenantId, contactId: contact.id, since, excludeMessageId: input.excludeMessageId }),
    template: input.template,
    channelRules: deps.channelRules?.[channel] ?? defaultChannelRules(channel, settings, input.provider),
    billing: await loadBillingState(tx, scope),
  });
}
