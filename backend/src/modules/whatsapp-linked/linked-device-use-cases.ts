import type { Response } from 'express';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { Actor } from '../../http/request-context.js';
import { auditOrigin } from '../audit/audit-actor.js';
import { recordAuditEvent } from '../audit/record-audit-event.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import { assertEntitled } from '../entitlements/check-entitlement.js';
import type { LinkedDeviceBus, SessionUpdate } from './linked-device-bus.js';
import { findLinkedDevice, findMedia, saveLinkedDevice } from './linked-device-repository.js';

export type LinkedDeviceDeps = ScopedDeps & { bus: LinkedDeviceBus };

export type Health = {
  state: 'not_linked' | 'connecting' | 'qr' | 'open' | 'logged_out' | 'banned' | 'stopped';
  phone: string | null; lastError: string | null; warnings: string[]; reconnectAttempts: number; pairedAt: string | null; updatedAt: string | null;
};

const FINAL = new Set(['open', 'logged_out', 'banned', 'not_linked', 'stopped']);

export async function linkedDeviceHealth(deps: ScopedDeps, input: { actor: Actor }): Promise<Health> {
  const scope = tenantScopeOf(input.actor);
  const device = await deps.runInScope(scope, (tx) => findLinkedDevice(tx, scope));
  if (!device) return { state: 'not_linked', phone: null, lastError: null, warnings: [], reconnectAttempts: 0, pairedAt: null, updatedAt: null };
  return {
    state: device.state, phone: device.phone, lastError: device.lastError, warnings: device.warnings, reconnectAttempts: device.reconnectAttempts,
    pairedAt: device.pairedAt ? new Date(device.pairedAt).toISOString() : null, updatedAt: new Date(device.updatedAt).toISOString(),
  };
}

async function command(deps: LinkedDeviceDeps, input: { actor: Actor; action: 'pair' | 'logout'; phoneNumber?: string }): Promise<Health> {
  const scope = tenantScopeOf(input.actor);
  await deps.runInScope(scope, async (tx) => {
    if (input.action === 'pair') await assertEntitled(tx, scope, { kind: 'channel.enable', channel: 'whatsapp_linked' });
    await recordAuditEvent(tx, {
      ...scope, ...auditOrigin(input.actor), action: `whatsapp.linked_device_${input.action === 'pair' ? 'pairing_started' : 'logged_out'}`,
      target: { type: 'tenant', id: scope.tenantId }, after: input.phoneNumber ? { pairingCodeFor: input.phoneNumber } : undefined,
    });
    // Pairing is under way from now on, so a stream opened right after this answer waits for the QR.
    if (input.action === 'pair') await saveLinkedDevice(tx, { ...scope, state: 'connecting' });
  });
  const listeners = await deps.bus.command(input.action === 'pair' ? { ...scope, action: 'pair', phoneNumber: input.phoneNumber } : { ...scope, action: 'logout' });
  const health = await linkedDeviceHealth(deps, input);
  // The stored state is the source of truth: a worker that starts later picks a pending pairing up.
  if (listeners === 0) health.warnings = [...health.warnings, 'No worker is running right now: this takes effect when one starts.'];
  return health;
}

/** Starts pairing (a QR stream; with `phoneNumber`, also an 8-character pairing code). Replaces any earlier pairing. */
export const startPairing = (deps: LinkedDeviceDeps, input: { actor: Actor; phoneNumber?: string }) => command(deps, { ...input, action: 'pair' });
export const logOutDevice = (deps: LinkedDeviceDeps, input: { actor: Actor }) => command(deps, { ...input, action: 'logout' });

/**
 * Server-sent events for the portal's "link WhatsApp" screen: the current state (and QR) at once, then
 * every QR refresh, pairing code and state change, until the session is open (or logged out, banned,
 * not linked) or `maxMs` passes. A comment every 15 s keeps proxies from closing the stream.
 */
export async function streamPairing(deps: LinkedDeviceDeps, input: { actor: Actor; res: Response; maxMs?: number }): Promise<void> {
  const scope = tenantScopeOf(input.actor);
  const { res } = input;
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  const send = (update: SessionUpdate | ({ type: 'state' } & Health)) => res.write(`event: ${update.type}\ndata: ${JSON.stringify(update)}\n\n`);
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  const unsubscribe = await deps.bus.onUpdates(scope.tenantId, (update) => {
    send(update);
    if (update.type === 'state' && FINAL.has(update.state)) finish();
  });
  const health = await linkedDeviceHealth(deps, input);
  send({ ...health, type: 'state' });
  const qr = health.state === 'qr' ? await deps.bus.latestQr(scope.tenantId) : null;
  if (qr) send({ type: 'qr', qr });
  if (FINAL.has(health.state)) finish();
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  const timeout = setTimeout(finish, input.maxMs ?? 180_000);
  res.on('close', finish);
  await done;
  clearInterval(keepAlive);
  clearTimeout(timeout);
  await unsubscribe();
  res.end();
}

/** A received photo, voice note or document, as the contact sent it. */
export async function downloadMedia(deps: ScopedDeps, input: { actor: Actor; messageId: string; res: Response }): Promise<void> {
  const scope = tenantScopeOf(input.actor);
  const media = await deps.runInScope(scope, (tx) => findMedia(tx, { tenantId: scope.tenantId, messageId: input.messageId }));
  if (!media) throw new AppError('NOT_FOUND', 'This message has no media');
  const name = (media.fileName ?? `${media.kind}-${input.messageId}`).replace(/[^\w.\- ]/g, '_');
  input.res.status(200).set({ 'content-type': media.mimeType, 'content-length': String(media.data.length), 'content-disposition': `attachment; filename="${name}"`, 'cache-control': 'private, no-store' }).end(media.data);
}
