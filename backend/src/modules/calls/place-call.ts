import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { ProviderError } from '../../ports/messaging.js';
import type { VoicePort } from '../../ports/voice.js';
import { actorId } from '../auth/principal.js';
import { readCredentials, type CredentialDeps } from '../provider-credentials/load-credentials.js';
import { assertTenantCanSend } from '../tenants/tenant-status.js';
import { insertCall, markCallFailed, setProviderCallId, type CallLog } from './call-repository.js';

export type PlaceCallDeps = CredentialDeps & { voice: VoicePort };

/** Calls a person and speaks a message through the tenant's Twilio account; progress arrives by webhook. */
export async function placeCall(deps: PlaceCallDeps, input: { actor: Actor; to: string; from?: string; message: string; language?: string }): Promise<CallLog> {
  const scope = { agencyId: input.actor.principal.agencyId, tenantId: input.actor.principal.tenantId! };
  await assertTenantCanSend(deps, scope);
  const { call, credentials } = await deps.runInScope(scope, async (tx) => {
    const credentials = await readCredentials(tx, deps.encryptionKey, { tenantId: scope.tenantId, provider: 'twilio' });
    if (!credentials) throw new AppError('CONFLICT', 'Connect a Twilio account before placing calls', { reason: 'NO_PROVIDER_ACCOUNT' });
    const from = input.from ?? credentials.phoneNumbers[0]!;
    if (!credentials.phoneNumbers.includes(from)) {
      throw new AppError('VALIDATION_FAILED', 'The caller ID must be one of the connected numbers', [{ path: 'from', message: 'not a connected number' }]);
    }
    const call = await insertCall(tx, {
      ...scope, provider: 'twilio', direction: 'outbound', from, to: input.to, status: 'queued',
      spokenMessage: input.message, placedBy: actorId(input.actor.principal),
    });
    return { call, credentials };
  });
  try {
    const result = await deps.voice.placeCall({ callId: call.id, tenantId: scope.tenantId, from: call.from, to: call.to, spokenMessage: input.message, language: input.language }, credentials);
    return await deps.runInScope(scope, (tx) => setProviderCallId(tx, { id: call.id, providerCallId: result.providerCallId, status: result.status }));
  } catch (err) {
    throw await providerFailure(deps, scope, call, err);
  }
}

async function providerFailure(deps: PlaceCallDeps, scope: { agencyId: string; tenantId: string }, call: CallLog, err: unknown): Promise<unknown> {
  if (!(err instanceof ProviderError)) return err;
  // Unknown outcome: Twilio may have the call; its status callback (carrying our call id) settles the row.
  if (err.kind !== 'unknown_outcome') await deps.runInScope(scope, (tx) => markCallFailed(tx, { id: call.id }));
  if (err.kind === 'permanent') {
    return new AppError('VALIDATION_FAILED', 'Twilio refused the call', [{ path: 'to', message: err.message, code: String(err.details.code ?? '') }]);
  }
  return new AppError('DEPENDENCY_UNAVAILABLE', 'Twilio could not take the call right now; try again', { callId: call.id, kind: err.kind });
}
