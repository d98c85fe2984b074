import type { Redis } from 'ioredis';
import type { TenantScope } from '../contacts/contact-scope.js';
import type { SessionState } from './linked-device-repository.js';

// The API and the workers talk about linked-device sessions over Redis: commands (pair, log out) go to
// every worker (the one that owns or takes the session acts), session updates (state, QR, pairing code)
// go to whoever streams them to the portal. The latest QR is also kept briefly for late listeners.

export type SessionCommand = TenantScope & ({ action: 'pair'; phoneNumber?: string } | { action: 'logout' });
export type SessionUpdate =
  | { type: 'state'; state: SessionState; phone: string | null; lastError: string | null; warnings: string[] }
  | { type: 'qr'; qr: string }
  | { type: 'pairing_code'; code: string };

export const QR_TTL_SECONDS = 60;

export type LinkedDeviceBus = ReturnType<typeof linkedDeviceBus>;

export function linkedDeviceBus(redis: Redis, prefix: string) {
  const commands = `${prefix}:wa:commands`;
  const updates = (tenantId: string) => `${prefix}:wa:updates:${tenantId}`;
  const lastQr = (tenantId: string) => `${prefix}:wa:qr:${tenantId}`;
  return {
    async command(command: SessionCommand): Promise<number> {
      return redis.publish(commands, JSON.stringify(command));
    },
    async publish(tenantId: string, update: SessionUpdate): Promise<void> {
      if (update.type === 'qr') await redis.set(lastQr(tenantId), update.qr, 'EX', QR_TTL_SECONDS);
      if (update.type === 'state' && update.state !== 'qr') await redis.del(lastQr(tenantId));
      await redis.publish(updates(tenantId), JSON.stringify(update));
    },
    latestQr(tenantId: string): Promise<string | null> {
      return redis.get(lastQr(tenantId));
    },
    /** Subscribes on a connection of its own (a subscribed Redis connection can do nothing else). */
    async onCommands(handler: (command: SessionCommand) => void): Promise<() => Promise<void>> {
      const subscriber = redis.duplicate();
      await subscriber.subscribe(commands);
      subscriber.on('message', (_channel, text: string) => handler(JSON.parse(text) as SessionCommand));
      return async () => void (await subscriber.quit());
    },
    async onUpdates(tenantId: string, handler: (update: SessionUpdate) => void): Promise<() => Promise<void>> {
      const subscriber = redis.duplicate();
      await subscriber.subscribe(updates(tenantId));
      subscriber.on('message', (_channel, text: string) => handler(JSON.parse(text) as SessionUpdate));
      return async () => void (await subscriber.quit().catch(() => undefined));
    },
  };
}
