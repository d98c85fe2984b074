import { findContact } from '../contacts/contact-repository.js';
import type { PolicyResult } from '../policy/policy-types.js';
import { findMessage, updateMessageStatus } from './message-repository.js';
import type { Message } from './message-types.js';
import { clockOf, type MessagingDeps, type TenantScope } from './messaging-deps.js';
import { publishStatus } from './publish-status.js';
import { decideSend } from './send-context.js';

export type SendClearance =
  | { action: 'send'; message: Message }
  | { action: 'wait'; message: Message; until: Date }
  | { action: 'skip'; message: Message | undefined };

/**
 * The pipeline calls this right before handing a queued or deferred message to a channel: the policy is
 * asked again (the contact may have opted out, the tenant been suspended, the window closed while the
 * message waited). allow -> send (a deferred message becomes queued); defer -> wait (the outbox row is
 * moved to the new time); deny -> the message is denied with the reason and never sent.
 */
export async function confirmSendPolicy(deps: MessagingDeps, input: TenantScope & { messageId: string }): Promise<SendClearance> {
  const scope = { agencyId: input.agencyId, tenantId: input.tenantId };
  return deps.runInScope(scope, async (tx) => {
    const now = clockOf(deps);
    const message = await findMessage(tx, { tenantId: scope.tenantId, messageId: input.messageId, forUpdate: true });
    if (!message || message.direction !== 'outbound' || !['queued', 'deferred'].includes(message.status)) return { action: 'skip', message };
    const contact = (await findContact(tx, { tenantId: scope.tenantId, contactId: message.contactId, forUpdate: true }))!;
    const decision: PolicyResult = await decideSend(tx, deps, {
      scope, contact, channel: message.channel, purpose: message.purpose, now, template: message.template?.name, excludeMessageId: message.id,
      provider: message.provider,
    });
    if (decision.decision === 'allow' && message.status === 'queued') return { action: 'send', message };
    const status = decision.decision === 'allow' ? 'queued' : decision.decision === 'defer' ? 'deferred' : 'denied';
    const moved = await updateMessageStatus(tx, { ...scope, messageId: message.id, status, at: now, policy: decision });
    if (decision.decision === 'defer') {
      await deps.enqueueOutbox(tx, { messageId: message.id, tenantId: scope.tenantId, channel: message.channel, availableAt: decision.until! });
    }
    if (moved.status !== message.status) await publishStatus(tx, deps, scope, moved, message.status);
    if (decision.decision === 'allow') return { action: 'send', message: moved };
    if (decision.decision === 'defer') return { action: 'wait', message: moved, until: decision.until! };
    return { action: 'skip', message: moved };
  });
}
