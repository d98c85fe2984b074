import { toStorable } from '../../infra/storable-text.js';
import { findMessage, findMessageByProviderId, updateMessageStatus } from './message-repository.js';
import { canMoveStatus, type ProviderStatus } from './message-status.js';
import type { Message } from './message-types.js';
import type { MessagingDeps, TenantScope } from './messaging-deps.js';
import { publishStatus } from './publish-status.js';

export type ProviderStatusUpdate = TenantScope & {
  provider: string;
  providerMessageId: string;
  /** Our id, when the provider echoes it (status callback URL): found even before we learned the provider id. */
  messageId?: string;
  status: ProviderStatus;
  errorCode?: string | null;
  errorMessage?: string | null;
  at: Date;
};

/**
 * A provider's word on an outbound message (webhook or poll). Statuses only move forward: a late
 * "sent" after "delivered" is ignored. Each real change is kept in the history and published as
 * message.status. Unknown messages are ignored (undefined): the webhook still answers 200.
 */
export async function applyProviderStatus(
  deps: Pick<MessagingDeps, 'runInScope' | 'events'>,
  reported: ProviderStatusUpdate,
): Promise<{ message: Message | undefined; changed: boolean }> {
  const update = toStorable(reported); // provider error texts may hold NUL (infra/storable-text.ts)
  const scope = { agencyId: update.agencyId, tenantId: update.tenantId };
  return deps.runInScope(scope, async (tx) => {
    const where = { tenantId: scope.tenantId, forUpdate: true };
    const message = update.messageId
      ? await findMessage(tx, { ...where, messageId: update.messageId })
      : await findMessageByProviderId(tx, { ...where, provider: update.provider, providerMessageId: update.providerMessageId });
    if (!message || message.direction !== 'outbound') return { message: undefined, changed: false };
    if (!canMoveStatus(message.status, update.status)) return { message, changed: false };
    const moved = await updateMessageStatus(tx, {
      ...scope,
      messageId: message.id,
      status: update.status,
      at: update.at,
      errorCode: update.errorCode,
      errorMessage: update.errorMessage,
      provider: update.provider,
      providerMessageId: update.providerMessageId,
    });
    await publishStatus(tx, deps, scope, moved, message.status);
    return { message: moved, changed: true };
  });
}
