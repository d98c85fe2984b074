import {
  Browsers, BufferJSON, DisconnectReason, downloadMediaMessage, initAuthCreds, jidNormalizedUser, makeCacheableSignalKeyStore, makeWASocket,
  proto, type AuthenticationCreds, type SignalDataTypeMap, type WAMessage,
} from 'baileys';
import type { Logger } from '../../logger.js';
import type {
  AuthEntryStore, InboundMedia, LinkedDeviceCloseReason, LinkedDeviceEvent, LinkedDeviceSocket, LinkedDeviceSocketFactory,
} from '../../ports/whatsapp-linked-device.js';

// Baileys 7 (the `baileys` package): see docs/whatsapp-linked-device.md for why 7 and not 6.x.

const CREDS = 'creds';
const toJid = (e164: string) => `${e164.replace(/^\+/, '')}@s.whatsapp.net`;
const fromJid = (jid: string) => `+${jidNormalizedUser(jid).split('@')[0]}`;

/** Baileys' auth state over our encrypted store: creds as one entry, Signal keys one entry each. */
export async function baileysAuthState(store: AuthEntryStore) {
  const stored = (await store.read(CREDS, [CREDS]))[CREDS];
  const creds: AuthenticationCreds = stored ? JSON.parse(stored, BufferJSON.reviver) : initAuthCreds();
  const keys = {
    async get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]) {
      const raw = await store.read(type, ids);
      const out: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const [id, text] of Object.entries(raw)) {
        let value = JSON.parse(text, BufferJSON.reviver);
        if (type === 'app-state-sync-key' && value) value = proto.Message.AppStateSyncKeyData.fromObject(value);
        out[id] = value;
      }
      return out;
    },
    async set(data: Record<string, Record<string, unknown>>) {
      const entries = Object.entries(data).flatMap(([category, values]) =>
        Object.entries(values ?? {}).map(([id, value]) => ({ category, id, value: value ? JSON.stringify(value, BufferJSON.replacer) : null })));
      await store.write(entries);
    },
  };
  const saveCreds = () => store.write([{ category: CREDS, id: CREDS, value: JSON.stringify(creds, BufferJSON.replacer) }]);
  return { creds, keys, saveCreds };
}

function closeReason(statusCode: number | undefined): LinkedDeviceCloseReason {
  if (statusCode === DisconnectReason.loggedOut) return 'logged_out';
  if (statusCode === DisconnectReason.forbidden) return 'banned';
  if (statusCode === DisconnectReason.restartRequired) return 'restart_required';
  return 'connection_lost';
}

const MEDIA_KINDS = { imageMessage: 'image', audioMessage: 'audio', videoMessage: 'video', documentMessage: 'document', stickerMessage: 'sticker' } as const;

async function mediaOf(message: WAMessage): Promise<InboundMedia | null> {
  const content = message.message ?? {};
  const key = (Object.keys(MEDIA_KINDS) as (keyof typeof MEDIA_KINDS)[]).find((k) => content[k]);
  if (!key) return null;
  const part = content[key] as { mimetype?: string | null; fileName?: string | null };
  const data = await downloadMediaMessage(message, 'buffer', {});
  return { kind: MEDIA_KINDS[key], mimeType: part.mimetype ?? 'application/octet-stream', fileName: part.fileName ?? null, data };
}

function textOf(message: WAMessage): string | null {
  const m = message.message;
  return m?.conversation ?? m?.extendedTextMessage?.text ?? m?.imageMessage?.caption ?? m?.videoMessage?.caption ?? m?.documentMessage?.caption ?? null;
}

// proto.WebMessageInfo.Status: 0 error, 1 pending, 2 server ack, 3 delivery ack, 4 read, 5 played.
const RECEIPT: Record<number, 'failed' | 'sent' | 'delivered' | 'read'> = { 0: 'failed', 2: 'sent', 3: 'delivered', 4: 'read', 5: 'read' };

export function baileysSocketFactory(logger: Logger): LinkedDeviceSocketFactory {
  return async ({ tenantId, auth, onEvent }) => {
    const state = await baileysAuthState(auth);
    const log = logger.child({ component: 'baileys', tenantId });
    const sock = makeWASocket({
      auth: { creds: state.creds, keys: makeCacheableSignalKeyStore(state.keys, log) },
      logger: log.child({}, { level: 'warn' }),
      browser: Browsers.ubuntu('Switchboard'),
      markOnlineOnConnect: false,
      syncFullHistory: false,
    });
    const emit = (event: LinkedDeviceEvent) => onEvent(event);
    sock.ev.on('creds.update', () => void state.saveCreds().catch((err: Error) => log.error({ err: err.message }, 'saving WhatsApp credentials failed')));
    sock.ev.on('connection.update', ({ connection, lastDisconnect, qr }) => {
      if (qr) emit({ type: 'qr', qr });
      if (connection === 'open' && sock.user) emit({ type: 'open', phone: fromJid(sock.user.id), jid: jidNormalizedUser(sock.user.id) });
      if (connection === 'close') {
        const error = lastDisconnect?.error as { output?: { statusCode?: number }; message?: string } | undefined;
        const statusCode = error?.output?.statusCode;
        emit({ type: 'close', reason: closeReason(statusCode), statusCode, message: error?.message ?? 'connection closed' });
      }
    });
    sock.ev.on('messages.upsert', ({ messages, type }) => {
      if (type !== 'notify') return;
      for (const message of messages) {
        const jid = message.key.remoteJid;
        if (message.key.fromMe || !jid || !jid.endsWith('@s.whatsapp.net')) continue; // groups, status and our own echoes are not leads
        void mediaOf(message).catch(() => null).then((media) => emit({
          type: 'message', id: message.key.id!, from: fromJid(jid), text: textOf(message), media,
          at: new Date(Number(message.messageTimestamp ?? Date.now() / 1000) * 1000), pushName: message.pushName ?? null,
        }));
      }
    });
    sock.ev.on('messages.update', (updates) => {
      for (const { key, update } of updates) {
        const status = update.status === undefined || update.status === null ? undefined : RECEIPT[update.status];
        if (key.fromMe && key.id && status) emit({ type: 'receipt', id: key.id, status });
      }
    });
    const socket: LinkedDeviceSocket = {
      async sendText(to, text, options) {
        const sent = await sock.sendMessage(toJid(to), { text }, options?.messageId ? { messageId: options.messageId } : undefined);
        return { id: sent!.key.id! };
      },
      sendPresence: (to, presence) => sock.sendPresenceUpdate(presence, toJid(to)),
      requestPairingCode: (phone) => sock.requestPairingCode(phone.replace(/^\+/, '')),
      logout: () => sock.logout(),
      end: () => sock.end(undefined),
    };
    return socket;
  };
}
