import {
  Browsers, BufferJSON, DisconnectReason, downloadMediaMessage, initAuthCreds, isLidUser, isPnUser, jidNormalizedUser, makeCacheableSignalKeyStore,
  getContentType, makeWASocket, normalizeMessageContent, proto, type AuthenticationCreds, type SignalDataTypeMap, type WAMessage, type WAMessageKey, type WASocket,
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

/** Photos, voice notes, videos, documents and stickers, downloaded unless larger than `maxBytes`. */
async function mediaOf(message: WAMessage, download: typeof downloadMediaMessage, maxBytes: number): Promise<InboundMedia | null> {
  const content = normalizeMessageContent(message.message) ?? {};
  const key = (Object.keys(MEDIA_KINDS) as (keyof typeof MEDIA_KINDS)[]).find((k) => content[k]);
  if (!key) return null;
  const part = content[key] as { mimetype?: string | null; fileName?: string | null; fileLength?: number | { toNumber(): number } | null };
  const media = { kind: MEDIA_KINDS[key], mimeType: part.mimetype ?? 'application/octet-stream', fileName: part.fileName ?? null };
  const announced = typeof part.fileLength === 'number' ? part.fileLength : part.fileLength?.toNumber();
  if (announced !== undefined && announced > maxBytes) return { ...media, data: null, sizeBytes: announced };
  const data = await download(message, 'buffer', {});
  return { ...media, data, sizeBytes: data.length };
}

/** Message kinds that are not something a contact said: reactions, edits and deletions, poll votes, pins. */
const NOT_A_MESSAGE = new Set(['protocolMessage', 'reactionMessage', 'encReactionMessage', 'pollUpdateMessage', 'keepInChatMessage', 'pinInChatMessage']);
const LABELS: Record<string, string> = {
  locationMessage: 'location', liveLocationMessage: 'live location', contactMessage: 'contact card', contactsArrayMessage: 'contact cards',
  pollCreationMessage: 'poll', pollCreationMessageV2: 'poll', pollCreationMessageV3: 'poll',
};
/** What the message is, for the ones without text or media: "[location]", "[contact card]". */
const labelOf = (type: string) => `[${LABELS[type] ?? type.replace(/Message$/, '')}]`;

/**
 * The contact's phone number JID of a one-to-one chat. Baileys 7 may address a chat by the contact's LID
 * (`…@lid`, WhatsApp's privacy id) with the phone number as `remoteJidAlt`, or only in its LID mapping store.
 * Groups, broadcasts, status and newsletters give null: they are not leads.
 */
async function contactJid(sock: Pick<WASocket, 'signalRepository'>, key: WAMessageKey): Promise<string | null> {
  for (const jid of [key.remoteJid, key.remoteJidAlt]) if (jid && isPnUser(jid)) return jid;
  if (key.remoteJid && isLidUser(key.remoteJid)) return sock.signalRepository.lidMapping.getPNForLID(key.remoteJid).catch(() => null);
  return null;
}

function textOf(message: WAMessage): string | null {
  const m = normalizeMessageContent(message.message); // unwraps disappearing and view-once messages
  return m?.conversation ?? m?.extendedTextMessage?.text ?? m?.imageMessage?.caption ?? m?.videoMessage?.caption ?? m?.documentMessage?.caption ?? null;
}

// proto.WebMessageInfo.Status: 0 error, 1 pending, 2 server ack, 3 delivery ack, 4 read, 5 played.
const RECEIPT: Record<number, 'failed' | 'sent' | 'delivered' | 'read'> = { 0: 'failed', 2: 'sent', 3: 'delivered', 4: 'read', 5: 'read' };

/** The library calls that reach WhatsApp's servers; unit tests pass stand-ins at this boundary. */
export type BaileysLibrary = { makeWASocket: typeof makeWASocket; downloadMediaMessage: typeof downloadMediaMessage };

/** Media larger than this is announced in the message but not downloaded (default 16 MB). */
export const DEFAULT_MAX_MEDIA_BYTES = 16 * 1024 * 1024;

export function baileysSocketFactory(
  logger: Logger,
  lib: BaileysLibrary = { makeWASocket, downloadMediaMessage },
  options: { maxMediaBytes?: number } = {},
): LinkedDeviceSocketFactory {
  const maxMediaBytes = options.maxMediaBytes ?? DEFAULT_MAX_MEDIA_BYTES;
  return async ({ tenantId, auth, onEvent }) => {
    const state = await baileysAuthState(auth);
    const log = logger.child({ component: 'baileys', tenantId });
    const sock = lib.makeWASocket({
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
        if (message.key.fromMe || !message.key.id) continue; // our own echoes
        const contentType = getContentType(normalizeMessageContent(message.message));
        if (!contentType || NOT_A_MESSAGE.has(contentType)) continue; // undecryptable stubs, reactions, edits, votes
        void (async () => {
          const jid = await contactJid(sock, message.key);
          if (!jid) return; // groups, status, newsletters, or a LID whose number WhatsApp has not shared
          const media = await mediaOf(message, lib.downloadMediaMessage, maxMediaBytes).catch((err: Error) => {
            log.warn({ messageId: message.key.id, err: err.message }, 'downloading WhatsApp media failed');
            const kind = MEDIA_KINDS[contentType as keyof typeof MEDIA_KINDS];
            return kind ? { kind, mimeType: 'application/octet-stream', fileName: null, data: null } : null;
          });
          emit({
            type: 'message', id: message.key.id!, from: fromJid(jid), text: textOf(message) ?? (media ? null : labelOf(contentType)), media,
            at: new Date(Number(message.messageTimestamp ?? Date.now() / 1000) * 1000), pushName: message.pushName ?? null,
          });
        })().catch((err: Error) => log.error({ err: err.message }, 'reading a WhatsApp message failed'));
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
