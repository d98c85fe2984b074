// A fake of the WhatsApp linked-device surface Switchboard uses (ports/whatsapp-linked-device.ts), in the
// style of the other provider fakes: it behaves like Baileys over WhatsApp's servers. A socket without
// stored credentials shows rotating QR codes until the test "scans" one; with stored credentials (a
// restart) it opens at once, no QR. Switches: connection failures, drops, restart-required, remote logout
// (401), ban (403), failing, hanging or rate-limited sends. It records what was sent, with presence updates.
import { randomBytes } from 'node:crypto';
import type {
  AuthEntryStore, InboundMedia, LinkedDeviceEvent, LinkedDeviceSocket, LinkedDeviceSocketFactory,
} from '../../../backend/src/ports/whatsapp-linked-device.js';

export type FakeSend = { tenantId: string; to: string; text: string; messageId: string; at: number };
export type FakePresence = { tenantId: string; to: string; state: 'composing' | 'paused'; at: number };

type Device = { tenantId: string; auth: AuthEntryStore; onEvent: (event: LinkedDeviceEvent) => void; open: boolean; ended: boolean; qrTimer?: NodeJS.Timeout };

export class FakeWhatsAppNetwork {
  readonly sends: FakeSend[] = [];
  readonly presence: FakePresence[] = [];
  readonly pairingCodes: { tenantId: string; phone: string; code: string }[] = [];
  /** Sockets created per tenant (a restart that reuses the pairing creates one more, without a QR). */
  readonly connects = new Map<string, number>();
  readonly qrsShown = new Map<string, number>();
  failNextConnects = 0;
  /** `timeout`: WhatsApp never answers the send (the message may or may not have left). */
  sendFailure: 'none' | 'error' | 'rate_limited' | 'timeout' = 'none';
  private readonly devices = new Map<string, Device>();

  constructor(private readonly options: { qrIntervalMs?: number } = {}) {}

  factory(): LinkedDeviceSocketFactory {
    return async ({ tenantId, auth, onEvent }) => {
      this.connects.set(tenantId, (this.connects.get(tenantId) ?? 0) + 1);
      if (this.failNextConnects > 0) {
        this.failNextConnects -= 1;
        throw new Error('Connection Failure (fake)');
      }
      const device: Device = { tenantId, auth, onEvent, open: false, ended: false };
      this.devices.set(tenantId, device);
      const creds = (await auth.read('creds', ['creds'])).creds;
      setImmediate(() => {
        if (device.ended) return;
        if (creds && (JSON.parse(creds) as { registered?: boolean; phone?: string }).registered) {
          device.open = true;
          onEvent({ type: 'open', phone: (JSON.parse(creds) as { phone: string }).phone, jid: 'fake@s.whatsapp.net' });
        } else {
          this.showQr(device);
        }
      });
      return this.socketFor(device);
    };
  }

  private showQr(device: Device): void {
    const emit = () => {
      if (device.ended || device.open) return;
      this.qrsShown.set(device.tenantId, (this.qrsShown.get(device.tenantId) ?? 0) + 1);
      device.onEvent({ type: 'qr', qr: `2@${randomBytes(24).toString('base64')},fake` });
    };
    emit();
    device.qrTimer = setInterval(emit, this.options.qrIntervalMs ?? 20_000);
  }

  private socketFor(device: Device): LinkedDeviceSocket {
    const live = () => {
      if (!device.open || device.ended) throw new Error('Connection Closed');
    };
    return {
      sendText: async (to, text, options) => {
        live();
        if (this.sendFailure === 'rate_limited') throw Object.assign(new Error('rate-overlimit'), { output: { statusCode: 429 } });
        if (this.sendFailure === 'error') throw new Error('Timed Out');
        if (this.sendFailure === 'timeout') return new Promise<never>(() => undefined);
        const messageId = options?.messageId ?? `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
        this.sends.push({ tenantId: device.tenantId, to, text, messageId, at: Date.now() });
        return { id: messageId };
      },
      sendPresence: async (to, state) => {
        live();
        this.presence.push({ tenantId: device.tenantId, to, state, at: Date.now() });
      },
      requestPairingCode: async (phone) => {
        const code = randomBytes(4).toString('hex').toUpperCase();
        this.pairingCodes.push({ tenantId: device.tenantId, phone, code });
        return code;
      },
      logout: async () => {
        this.close(device, { type: 'close', reason: 'logged_out', statusCode: 401, message: 'Intentional Logout' });
      },
      end: () => {
        device.ended = true;
        clearInterval(device.qrTimer);
      },
    };
  }

  private close(device: Device, event: Extract<LinkedDeviceEvent, { type: 'close' }>): void {
    if (device.ended) return;
    device.ended = true;
    device.open = false;
    clearInterval(device.qrTimer);
    device.onEvent(event);
  }

  private device(tenantId: string): Device {
    const device = this.devices.get(tenantId);
    if (!device || device.ended) throw new Error(`no live fake WhatsApp socket for tenant ${tenantId}`);
    return device;
  }

  /** The phone scans the QR: credentials are stored (as Baileys would) and the connection opens. */
  async scan(tenantId: string, phone: string): Promise<void> {
    const device = this.device(tenantId);
    await device.auth.write([
      { category: 'creds', id: 'creds', value: JSON.stringify({ registered: true, phone }) },
      { category: 'pre-key', id: '1', value: JSON.stringify({ public: randomBytes(32).toString('base64') }) },
    ]);
    device.open = true;
    clearInterval(device.qrTimer);
    device.onEvent({ type: 'open', phone, jid: `${phone.slice(1)}@s.whatsapp.net` });
  }

  deliver(tenantId: string, input: { from: string; text?: string; media?: InboundMedia; id?: string; pushName?: string }): string {
    const id = input.id ?? `3A${randomBytes(9).toString('hex').toUpperCase()}`;
    this.device(tenantId).onEvent({ type: 'message', id, from: input.from, text: input.text ?? null, media: input.media ?? null, at: new Date(), pushName: input.pushName ?? null });
    return id;
  }

  receipt(tenantId: string, id: string, status: 'delivered' | 'read'): void {
    this.device(tenantId).onEvent({ type: 'receipt', id, status });
  }

  drop(tenantId: string): void {
    this.close(this.device(tenantId), { type: 'close', reason: 'connection_lost', statusCode: 428, message: 'Connection Terminated (fake)' });
  }

  restartRequired(tenantId: string): void {
    this.close(this.device(tenantId), { type: 'close', reason: 'restart_required', statusCode: 515, message: 'Stream Errored (restart required)' });
  }

  logoutFromPhone(tenantId: string): void {
    this.close(this.device(tenantId), { type: 'close', reason: 'logged_out', statusCode: 401, message: 'Connection Failure: logged out from the phone' });
  }

  ban(tenantId: string): void {
    this.close(this.device(tenantId), { type: 'close', reason: 'banned', statusCode: 403, message: 'Connection Failure: this account is not allowed to use WhatsApp' });
  }

  sendsTo(to: string): FakeSend[] {
    return this.sends.filter((s) => s.to === to);
  }

  closeAll(): void {
    for (const device of this.devices.values()) {
      device.ended = true;
      clearInterval(device.qrTimer);
    }
  }
}
