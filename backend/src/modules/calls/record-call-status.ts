import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { EventBus } from '../../ports/events.js';
import { ensureProviderCall, lockCall, updateCall, type CallLog } from './call-repository.js';
import { classifyFinishedCall, isFinalCallStatus, laterCallStatus, type CallStatus } from './call-status.js';

export type CallEventDeps = ScopedDeps & { events: EventBus };

export type ProviderCallUpdate = {
  provider: string;
  providerCallId: string;
  /** Our call id, for calls we placed (carried in the status callback URL). */
  callId?: string;
  direction: 'inbound' | 'outbound';
  from: string;
  to: string;
  status: CallStatus;
  durationSeconds: number | null;
  at: Date;
  /** A replayed test webhook ("Send a test missed call"): flagged on the call and in its event. */
  isTest?: boolean;
};

/**
 * A provider's call progress report: one call log row per call however often the report is delivered,
 * and when the call ends, exactly one call.missed or call.completed event (published in the same
 * transaction that sets the outcome, which only the first final report can do).
 */
export async function recordCallStatus(
  deps: CallEventDeps,
  input: { agencyId: string; tenantId: string; missedCallMaxSeconds: number; update: ProviderCallUpdate },
): Promise<{ call: CallLog; published: 'call.missed' | 'call.completed' | null }> {
  const { agencyId, tenantId, update } = input;
  return deps.runInScope({ agencyId, tenantId }, async (tx) => {
    const where = { tenantId, provider: update.provider, providerCallId: update.providerCallId, callId: update.callId };
    let call = await lockCall(tx, where);
    if (!call) {
      await ensureProviderCall(tx, { agencyId, tenantId, ...update });
      call = (await lockCall(tx, where))!;
    }
    const status = laterCallStatus(call.status, update.status);
    const final = isFinalCallStatus(status);
    const at = update.at.toISOString();
    const durationSeconds = update.durationSeconds ?? call.durationSeconds;
    const updated = await updateCall(tx, {
      id: call.id,
      providerCallId: call.providerCallId ?? update.providerCallId,
      status,
      durationSeconds,
      startedAt: call.startedAt ?? at,
      answeredAt: call.answeredAt ?? (status === 'in-progress' || (status === 'completed' && (durationSeconds ?? 0) > 0) ? at : null),
      endedAt: call.endedAt ?? (final ? at : null),
      outcome: call.outcome ?? (final ? classifyFinishedCall(status, durationSeconds, input.missedCallMaxSeconds) : null),
    });
    if (call.outcome || !updated.outcome) return { call: updated, published: null };
    const type = updated.outcome === 'missed' ? 'call.missed' : 'call.completed';
    await deps.events.publish(
      {
        type, agencyId, tenantId,
        data: {
          callId: updated.id, providerCallId: updated.providerCallId, provider: updated.provider, direction: updated.direction,
          from: updated.from, to: updated.to, status: updated.status, durationSeconds: updated.durationSeconds,
          ...(updated.isTest && { test: true }),
        },
      },
      { transaction: tx },
    );
    return { call: updated, published: type };
  });
}
