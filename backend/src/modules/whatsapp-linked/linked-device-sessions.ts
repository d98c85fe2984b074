import type { Redis } from 'ioredis';
import type { Sequelize } from 'sequelize';
import { withScope, type RunInScope } from '../../db/tenant-scope.js';
import type { Logger } from '../../logger.js';
import type { EventBus } from '../../ports/events.js';
import type { LinkedDeviceEvent, LinkedDeviceSocket, LinkedDeviceSocketFactory } from '../../ports/whatsapp-linked-device.js';
import type { TenantScope } from '../contacts/contact-scope.js';
import type { InboundMessage, InboundOutcome } from '../messages/receive-inbound.js';
import type { ProviderStatusUpdate } from '../messages/apply-provider-status.js';
import { listAgencyIds } from '../outbox/outbox-repository.js';
import { linkedDeviceBus, type SessionCommand } from './linked-device-bus.js';
import { encryptedAuthStore, forgetPairing, resumableDevices, saveInboundMedia, saveLinkedDevice, type SessionState } from './linked-device-repository.js';

export type LinkedDeviceSessionsDeps = {
  sequelize: Sequelize;
  runInScope: RunInScope;
  redis: Redis;
  events: EventBus;
  factory: LinkedDeviceSocketFactory;
  encryptionKey: Buffer;
  logger: Logger;
  prefix: string;
  acceptInbound: (inbound: InboundMessage) => Promise<InboundOutcome>;
  applyStatus: (update: ProviderStatusUpdate) => Promise<unknown>;
  backoff?: { baseMs: number; maxMs: number };
  /** How long this worker holds a tenant's session before it must renew the claim (another worker takes over after). */
  ownershipMs?: number;
};

type Session = {
  scope: TenantScope;
  socket?: LinkedDeviceSocket;
  state: SessionState;
  phone: string | null;
  attempts: number;
  pairingPhone?: string;
  pairingRequested?: boolean;
  stopping?: boolean;
  timer?: NodeJS.Timeout;
};

const DEFAULT_BACKOFF = { baseMs: 1_000, maxMs: 60_000 };
/** Media kept per message; bigger files are noted in the message but not stored (a database is no file server). */
export const MAX_MEDIA_BYTES = 16 * 1024 * 1024;
const FLAPPING_AFTER = 3;

/**
 * The linked-device sessions this worker holds: one socket per tenant, resumed from the encrypted auth
 * state after a restart (no new QR), reconnected with capped exponential backoff, stopped for good when
 * WhatsApp logs the device out or bans the number. Each state change is stored, published as a
 * `whatsapp.session` event and streamed to the portal. A Redis claim keeps one worker per tenant.
 */
export class LinkedDeviceSessions {
  private readonly sessions = new Map<string, Session>();
  /** Sessions that ended for good here (logged out, banned): sends fail with that reason until a new pairing. */
  private readonly ended = new Map<string, 'logged_out' | 'banned'>();
  private readonly bus;
  private unsubscribe?: () => Promise<void>;
  private renewTimer?: NodeJS.Timeout;
  private readonly id = `${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  constructor(private readonly deps: LinkedDeviceSessionsDeps) {
    this.bus = linkedDeviceBus(deps.redis, deps.prefix);
  }

  async start(): Promise<void> {
    this.unsubscribe = await this.bus.onCommands((command) => void this.handle(command).catch((err: Error) =>
      this.deps.logger.error({ tenantId: command.tenantId, action: command.action, err: err.message }, 'WhatsApp session command failed')));
    const ownership = this.deps.ownershipMs ?? 30_000;
    this.renewTimer = setInterval(() => void this.renewClaims(ownership), Math.floor(ownership / 3));
    for (const agencyId of await this.deps.sequelize.transaction((tx) => listAgencyIds(tx))) {
      const devices = await withScope(this.deps.sequelize, { agencyId }, (tx) => resumableDevices(tx, { agencyId }));
      for (const device of devices) {
        if (await this.claim(device.tenantId)) await this.connect({ agencyId: device.agencyId, tenantId: device.tenantId }, {});
      }
    }
  }

  /** The open socket of a tenant's number, when this worker holds it. */
  socketFor(tenantId: string): { socket: LinkedDeviceSocket; phone: string | null } | { state: SessionState | 'not_here' } {
    const session = this.sessions.get(tenantId);
    if (!session) return { state: this.ended.get(tenantId) ?? 'not_here' };
    return session.state === 'open' && session.socket ? { socket: session.socket, phone: session.phone } : { state: session.state };
  }

  async stop(): Promise<void> {
    clearInterval(this.renewTimer);
    await this.unsubscribe?.();
    for (const session of this.sessions.values()) {
      session.stopping = true;
      clearTimeout(session.timer);
      session.socket?.end();
      await this.deps.redis.del(this.claimKey(session.scope.tenantId)).catch(() => undefined);
    }
    this.sessions.clear();
  }

  private async handle(command: SessionCommand): Promise<void> {
    const scope = { agencyId: command.agencyId, tenantId: command.tenantId };
    if (command.action === 'logout') {
      const session = this.sessions.get(command.tenantId);
      if (!session?.socket) return;
      await session.socket.logout().catch((err: Error) => this.deps.logger.warn({ tenantId: scope.tenantId, err: err.message }, 'WhatsApp logout call failed'));
      await this.closed(session, { type: 'close', reason: 'logged_out', message: 'Logged out from the portal' });
      return;
    }
    const existing = this.sessions.get(command.tenantId);
    if (!existing && !(await this.claim(command.tenantId))) return; // another worker holds it
    if (existing) {
      existing.stopping = true;
      clearTimeout(existing.timer);
      existing.socket?.end();
    }
    this.ended.delete(command.tenantId);
    // A new pairing starts from empty credentials (a new QR); the old pairing, if any, is forgotten.
    await this.deps.runInScope(scope, (tx) => forgetPairing(tx, scope));
    await this.connect(scope, { pairingPhone: command.phoneNumber });
  }

  private async connect(scope: TenantScope, options: { pairingPhone?: string; attempts?: number }): Promise<void> {
    const session: Session = { scope, state: 'connecting', phone: null, attempts: options.attempts ?? 0, pairingPhone: options.pairingPhone };
    this.sessions.set(scope.tenantId, session);
    try {
      // Inside the try: a database outage here is a lost connection too (closed() schedules the next attempt).
      await this.setState(session, 'connecting', { lastError: null });
      session.socket = await this.deps.factory({
        tenantId: scope.tenantId,
        auth: encryptedAuthStore({ runInScope: this.deps.runInScope, encryptionKey: this.deps.encryptionKey }, scope),
        onEvent: (event) => void this.onEvent(session, event).catch((err: Error) =>
          this.deps.logger.error({ tenantId: scope.tenantId, event: event.type, err: err.message }, 'handling a WhatsApp event failed')),
      });
    } catch (err) {
      await this.closed(session, { type: 'close', reason: 'connection_lost', message: err instanceof Error ? err.message : String(err) });
    }
  }

  private async onEvent(session: Session, event: LinkedDeviceEvent): Promise<void> {
    if (this.sessions.get(session.scope.tenantId) !== session) return; // a replaced session's late events
    switch (event.type) {
      case 'qr':
        await this.setState(session, 'qr', {});
        await this.bus.publish(session.scope.tenantId, { type: 'qr', qr: event.qr });
        if (session.pairingPhone && !session.pairingRequested && session.socket) {
          session.pairingRequested = true;
          const code = await session.socket.requestPairingCode(session.pairingPhone);
          await this.bus.publish(session.scope.tenantId, { type: 'pairing_code', code });
        }
        return;
      case 'open':
        session.attempts = 0;
        session.phone = event.phone;
        await this.setState(session, 'open', { phone: event.phone, jid: event.jid, paired: true, lastError: null });
        return;
      case 'close':
        return this.closed(session, event);
      case 'message':
        return this.inbound(session, event);
      case 'receipt':
        await this.deps.applyStatus({ ...session.scope, provider: 'baileys', providerMessageId: event.id, status: event.status, at: new Date() });
    }
  }

  private async inbound(session: Session, event: Extract<LinkedDeviceEvent, { type: 'message' }>): Promise<void> {
    const media = event.media;
    // Not kept: too large (announced or downloaded), or the download failed (no size known).
    const notKept = !media ? null
      : media.data === null ? (media.sizeBytes === undefined ? 'could not be downloaded' : 'too large to keep')
        : media.data.length > MAX_MEDIA_BYTES ? 'too large to keep' : null;
    const label = media ? `[${media.kind}${media.fileName ? `: ${media.fileName}` : ''}${notKept ? `, ${notKept}` : ''}]` : '';
    const body = event.text ?? label;
    const outcome = await this.deps.acceptInbound({
      ...session.scope, channel: 'whatsapp', from: event.from, to: session.phone ?? '', body, provider: 'baileys',
      providerMessageId: event.id, receivedAt: event.at, raw: { pushName: event.pushName, media: media && { kind: media.kind, mimeType: media.mimeType } },
    });
    if (media?.data && notKept === null && !outcome.duplicate) {
      const { kind, mimeType, fileName, data } = media;
      await this.deps.runInScope(session.scope, (tx) => saveInboundMedia(tx, { ...session.scope, messageId: outcome.message.id, kind, mimeType, fileName, data }));
    }
  }

  private async closed(session: Session, event: Extract<LinkedDeviceEvent, { type: 'close' }>): Promise<void> {
    session.socket = undefined;
    const { scope } = session;
    if (event.reason === 'logged_out' || event.reason === 'banned') {
      session.stopping = true;
      await this.deps.runInScope(scope, (tx) => forgetPairing(tx, scope));
      const warnings = event.reason === 'banned'
        ? ['WhatsApp restricted this number. Stop automated messages to it, check the phone, and ask WhatsApp support for a review before pairing again.']
        : [];
      await this.setState(session, event.reason, { lastError: event.message, warnings });
      this.sessions.delete(scope.tenantId);
      this.ended.set(scope.tenantId, event.reason);
      await this.deps.redis.del(this.claimKey(scope.tenantId));
      return;
    }
    if (session.stopping) return;
    const restart = event.reason === 'restart_required';
    if (!restart) session.attempts += 1;
    const { baseMs, maxMs } = this.deps.backoff ?? DEFAULT_BACKOFF;
    const delay = restart ? 0 : Math.min(maxMs, baseMs * 2 ** (session.attempts - 1));
    const warnings = session.attempts >= FLAPPING_AFTER ? [`The connection dropped ${session.attempts} times in a row; check the phone is online and WhatsApp is up to date.`] : [];
    // Storing the state may fail (the database is away too): the reconnect is scheduled all the same, or the number stays offline.
    await this.setState(session, 'connecting', { lastError: restart ? null : event.message, warnings }).catch((err: unknown) =>
      this.deps.logger.warn({ tenantId: scope.tenantId, err: err instanceof Error ? err.message : String(err) }, 'WhatsApp session state not stored'));
    this.deps.logger.warn({ tenantId: scope.tenantId, reason: event.reason, attempt: session.attempts, delayMs: delay }, 'WhatsApp connection closed; reconnecting');
    session.timer = setTimeout(() => {
      if (this.sessions.get(scope.tenantId) !== session || session.stopping) return;
      this.connect(scope, { attempts: session.attempts }).catch((err: unknown) =>
        this.deps.logger.error({ tenantId: scope.tenantId, err: err instanceof Error ? err.message : String(err) }, 'WhatsApp reconnect failed'));
    }, delay);
  }

  private async setState(
    session: Session,
    state: SessionState,
    details: { phone?: string | null; jid?: string | null; lastError?: string | null; warnings?: string[]; paired?: boolean },
  ): Promise<void> {
    const changed = session.state !== state || state === 'connecting';
    session.state = state;
    const { scope } = session;
    const device = await this.deps.runInScope(scope, async (tx) => {
      const saved = await saveLinkedDevice(tx, { ...scope, state, reconnectAttempts: session.attempts, ...details });
      if (changed) {
        await this.deps.events.publish({
          type: 'whatsapp.session', ...scope,
          data: { state, phone: saved.phone, lastError: saved.lastError, warnings: saved.warnings, reconnectAttempts: session.attempts },
        }, { transaction: tx });
      }
      return saved;
    });
    await this.bus.publish(scope.tenantId, { type: 'state', state, phone: device.phone, lastError: device.lastError, warnings: device.warnings });
  }

  private claimKey(tenantId: string): string {
    return `${this.deps.prefix}:wa:owner:${tenantId}`;
  }

  /** One worker per tenant session: SET NX with an expiry, renewed while the session lives here. */
  private async claim(tenantId: string): Promise<boolean> {
    const key = this.claimKey(tenantId);
    const ok = await this.deps.redis.set(key, this.id, 'PX', this.deps.ownershipMs ?? 30_000, 'NX');
    return ok === 'OK' || (await this.deps.redis.get(key)) === this.id;
  }

  private async renewClaims(ownershipMs: number): Promise<void> {
    for (const tenantId of this.sessions.keys()) {
      await this.deps.redis.set(this.claimKey(tenantId), this.id, 'PX', ownershipMs).catch(() => undefined);
    }
  }
}
