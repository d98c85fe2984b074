import { toStorable } from '../../infra/storable-text.js';
import type { InboundMessage } from '../messages/receive-inbound.js';
import type { InboundBatcher } from './inbound-batcher.js';

/**
 * Accepts a delivery whose signature was verified: stored durably (inbound_queue, group-committed with
 * the deliveries arriving at the same moment), so the webhook can answer the provider at once (they retry
 * slow answers, and a burst must not queue up behind contact and conversation work). The worker processes
 * it (processQueuedInbound). A retried delivery is a no-op.
 */
export async function queueInbound(deps: { inboundBatcher: InboundBatcher }, inbound: InboundMessage): Promise<{ queued: boolean }> {
  // One unstorable character must not fail the whole group-committed batch (infra/storable-text.ts).
  return { queued: await deps.inboundBatcher.add(toStorable(inbound)) };
}
