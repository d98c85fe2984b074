import { expect } from 'chai';
import { EventEmitter } from 'node:events';
import type { downloadMediaMessage, makeWASocket, WAMessage } from 'baileys';
import { baileysSocketFactory } from '../../src/adapters/whatsapp/baileys-linked-device.js';
import { createLogger } from '../../src/logger.js';
import type { AuthEntryStore, LinkedDeviceEvent } from '../../src/ports/whatsapp-linked-device.js';

// The real Baileys adapter (adapters/whatsapp/baileys-linked-device.ts) with a stand-in for the library's
// two network entry points, makeWASocket and downloadMediaMessage: a socket object that emits Baileys'
// own events (connection.update, messages.upsert, messages.update) and records the calls made on it.

type Call = { name: string; args: unknown[] };

class FakeBaileysSocket {
  readonly ev = new EventEmitter();
  readonly calls: Call[] = [];
  user?: { id: string };
  readonly lids = new Map<string, string>();
  readonly signalRepository = { lidMapping: { getPNForLID: async (lid: string) => this.lids.get(lid) ?? null } };

  constructor(readonly config: { auth: { creds: { registrationId: number } } }) {}

  async sendMessage(jid: string, content: unknown, options?: { messageId?: string }) {
    this.calls.push({ name: 'sendMessage', args: [jid, content, options] });
    return { key: { id: options?.messageId ?? 'GENERATED' } };
  }
  async sendPresenceUpdate(presence: string, jid: string) {
    this.calls.push({ name: 'sendPresenceUpdate', args: [presence, jid] });
  }
  async requestPairingCode(phone: string) {
    this.calls.push({ name: 'requestPairingCode', args: [phone] });
    return 'ABCD1234';
  }
  async logout() {
    this.calls.push({ name: 'logout', args: [] });
  }
  end() {
    this.calls.push({ name: 'end', args: [] });
  }
  /** WhatsApp's servers closing the connection the way Baileys reports it (a Boom error with a status code). */
  close(statusCode: number, message: string) {
    this.ev.emit('connection.update', { connection: 'close', lastDisconnect: { error: Object.assign(new Error(message), { output: { statusCode } }), date: new Date() } });
  }
  upsert(messages: Partial<WAMessage>[], type: 'notify' | 'append' = 'notify') {
    this.ev.emit('messages.upsert', { messages, type });
  }
}

function memoryStore(): AuthEntryStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    async read(category, ids) {
      return Object.fromEntries(ids.flatMap((id) => (entries.has(`${category}/${id}`) ? [[id, entries.get(`${category}/${id}`)!]] : [])));
    },
    async write(list) {
      for (const e of list) {
        if (e.value === null) entries.delete(`${e.category}/${e.id}`);
        else entries.set(`${e.category}/${e.id}`, e.value);
      }
    },
    async clear() {
      entries.clear();
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));
const text = (id: string, remoteJid: string, body: string, extra: Partial<WAMessage['key']> = {}): Partial<WAMessage> => ({
  key: { id, remoteJid, fromMe: false, ...extra }, message: { conversation: body }, messageTimestamp: 1_790_000_000, pushName: 'Ana',
});

describe('WhatsApp linked device: the Baileys adapter at the library boundary', () => {
  let sockets: FakeBaileysSocket[];
  let downloads: string[];
  let events: LinkedDeviceEvent[];
  let store: ReturnType<typeof memoryStore>;

  const connect = async (options: { download?: typeof downloadMediaMessage; maxMediaBytes?: number } = {}) => {
    const make = ((config: FakeBaileysSocket['config']) => {
      const sock = new FakeBaileysSocket(config);
      sockets.push(sock);
      return sock;
    }) as unknown as typeof makeWASocket;
    const download = options.download ?? ((async (message: WAMessage) => {
      downloads.push(message.key.id!);
      return Buffer.from(`bytes of ${message.key.id}`);
    }) as unknown as typeof downloadMediaMessage);
    const factory = baileysSocketFactory(createLogger({ logLevel: 'silent' }), { makeWASocket: make, downloadMediaMessage: download }, { maxMediaBytes: options.maxMediaBytes });
    const socket = await factory({ tenantId: 't1', auth: store, onEvent: (event) => events.push(event) });
    return { socket, sock: sockets.at(-1)! };
  };

  beforeEach(() => {
    sockets = [];
    downloads = [];
    events = [];
    store = memoryStore();
  });

  it('when Baileys shows a QR, opens, drops, needs a restart, is logged out or banned, then our events say so with the right reason', async () => {
    const { sock } = await connect();
    sock.ev.emit('connection.update', { qr: '2@abc,def' });
    sock.user = { id: '14155550001:7@s.whatsapp.net' };
    sock.ev.emit('connection.update', { connection: 'open' });
    sock.close(428, 'Connection Terminated');
    sock.close(515, 'Stream Errored (restart required)');
    sock.close(401, 'Connection Failure');
    sock.close(403, 'Connection Failure');
    expect(events).to.deep.equal([
      { type: 'qr', qr: '2@abc,def' },
      { type: 'open', phone: '+14155550001', jid: '14155550001@s.whatsapp.net' },
      { type: 'close', reason: 'connection_lost', statusCode: 428, message: 'Connection Terminated' },
      { type: 'close', reason: 'restart_required', statusCode: 515, message: 'Stream Errored (restart required)' },
      { type: 'close', reason: 'logged_out', statusCode: 401, message: 'Connection Failure' },
      { type: 'close', reason: 'banned', statusCode: 403, message: 'Connection Failure' },
    ]);
  });

  it('when Baileys updates its credentials, then they are stored, and the next socket starts from them (no new QR)', async () => {
    const { sock } = await connect();
    sock.ev.emit('creds.update', {});
    await settle();
    expect(store.entries.has('creds/creds')).to.equal(true);
    const { sock: again } = await connect();
    expect(again.config.auth.creds.registrationId).to.equal(sock.config.auth.creds.registrationId);
  });

  it('when contacts write by phone number or by LID, then each becomes one message from their phone number; groups, status, echoes, reactions and history do not', async () => {
    const { sock } = await connect();
    sock.lids.set('99887766@lid', '14155550124:3@s.whatsapp.net');
    sock.upsert([
      text('A1', '14155550123@s.whatsapp.net', 'Hi, by number'),
      text('A2', '11223344@lid', 'Hi, by LID with the number alongside', { remoteJidAlt: '14155550125@s.whatsapp.net' }),
      text('A3', '99887766@lid', 'Hi, by LID the mapping knows'),
      text('A4', '55555555@lid', 'Hi, by a LID nobody knows'),
      text('G1', '120363000000000000@g.us', 'group chatter', { participant: '14155550199@s.whatsapp.net' }),
      text('S1', 'status@broadcast', 'my status', { participant: '14155550199@s.whatsapp.net' }),
      text('E1', '14155550123@s.whatsapp.net', 'our own echo', { fromMe: true }),
      { key: { id: 'R1', remoteJid: '14155550123@s.whatsapp.net', fromMe: false }, message: { reactionMessage: { text: '👍', key: { id: 'X' } } } },
      { key: { id: 'U1', remoteJid: '14155550123@s.whatsapp.net', fromMe: false }, messageStubType: 2 },
      { key: { id: 'D1', remoteJid: '14155550123@s.whatsapp.net', fromMe: false }, message: { ephemeralMessage: { message: { extendedTextMessage: { text: 'disappearing hello' } } } } },
      { key: { id: 'L1', remoteJid: '14155550123@s.whatsapp.net', fromMe: false }, message: { locationMessage: { degreesLatitude: 1, degreesLongitude: 2 } } },
    ]);
    sock.upsert([text('H1', '14155550123@s.whatsapp.net', 'old history')], 'append');
    await settle();
    const messages = events.filter((e) => e.type === 'message');
    expect(messages.map((m) => [m.id, m.from, m.text])).to.have.deep.members([
      ['A1', '+14155550123', 'Hi, by number'],
      ['A2', '+14155550125', 'Hi, by LID with the number alongside'],
      ['A3', '+14155550124', 'Hi, by LID the mapping knows'],
      ['D1', '+14155550123', 'disappearing hello'],
      ['L1', '+14155550123', '[location]'],
    ]);
    expect(messages.find((m) => m.id === 'A1')).to.deep.include({ pushName: 'Ana', media: null, at: new Date(1_790_000_000_000) });
  });

  it('when a contact sends media, then it is downloaded through the library; too-large files are announced, not downloaded; a failed download is noted', async () => {
    const { sock } = await connect({ maxMediaBytes: 1000 });
    sock.upsert([
      { key: { id: 'P1', remoteJid: '14155550123@s.whatsapp.net', fromMe: false }, message: { imageMessage: { mimetype: 'image/jpeg', caption: 'my teeth', fileLength: 500 } } },
      { key: { id: 'V1', remoteJid: '14155550123@s.whatsapp.net', fromMe: false }, message: { videoMessage: { mimetype: 'video/mp4', fileLength: 50_000_000 } } },
      { key: { id: 'F1', remoteJid: '14155550123@s.whatsapp.net', fromMe: false }, message: { documentMessage: { mimetype: 'application/pdf', fileName: 'x-ray.pdf' } } },
    ]);
    await settle();
    const byId = Object.fromEntries(events.flatMap((e) => (e.type === 'message' ? [[e.id, e]] : [])));
    expect(downloads).to.have.members(['P1', 'F1']);
    expect(byId.P1).to.deep.include({ text: 'my teeth', media: { kind: 'image', mimeType: 'image/jpeg', fileName: null, data: Buffer.from('bytes of P1'), sizeBytes: 11 } });
    expect(byId.V1).to.deep.include({ text: null, media: { kind: 'video', mimeType: 'video/mp4', fileName: null, data: null, sizeBytes: 50_000_000 } });
    expect(byId.F1!.media).to.deep.include({ kind: 'document', fileName: 'x-ray.pdf', mimeType: 'application/pdf' });

    events = [];
    const failing = (async () => {
      throw new Error('media server said 410');
    }) as unknown as typeof downloadMediaMessage;
    const { sock: other } = await connect({ download: failing });
    other.upsert([{ key: { id: 'N1', remoteJid: '14155550123@s.whatsapp.net', fromMe: false }, message: { audioMessage: { mimetype: 'audio/ogg', ptt: true } } }]);
    await settle();
    expect(events).to.have.length(1);
    expect(events[0]).to.deep.include({ type: 'message', id: 'N1', text: null, media: { kind: 'audio', mimeType: 'application/octet-stream', fileName: null, data: null } });
  });

  it('when WhatsApp reports our message delivered and read, then receipts follow; updates about other messages do not', async () => {
    const { sock } = await connect();
    sock.ev.emit('messages.update', [
      { key: { id: 'OUT1', remoteJid: '14155550123@s.whatsapp.net', fromMe: true }, update: { status: 3 } },
      { key: { id: 'OUT1', remoteJid: '14155550123@s.whatsapp.net', fromMe: true }, update: { status: 4 } },
      { key: { id: 'OUT2', remoteJid: '11223344@lid', fromMe: true }, update: { status: 5 } },
      { key: { id: 'IN1', remoteJid: '14155550123@s.whatsapp.net', fromMe: false }, update: { status: 4 } },
      { key: { id: 'OUT3', remoteJid: '14155550123@s.whatsapp.net', fromMe: true }, update: { starred: true } },
    ]);
    expect(events).to.deep.equal([
      { type: 'receipt', id: 'OUT1', status: 'delivered' },
      { type: 'receipt', id: 'OUT1', status: 'read' },
      { type: 'receipt', id: 'OUT2', status: 'read' },
    ]);
  });

  it('when we send, show typing, ask for a pairing code or log out, then Baileys gets the phone JID, our message id and the bare number', async () => {
    const { socket, sock } = await connect();
    await socket.sendPresence('+14155550123', 'composing');
    expect(await socket.sendText('+14155550123', 'See you at 3', { messageId: '3EB0ABC' })).to.deep.equal({ id: '3EB0ABC' });
    expect(await socket.requestPairingCode('+14155550001')).to.equal('ABCD1234');
    await socket.logout();
    socket.end();
    expect(sock.calls).to.deep.equal([
      { name: 'sendPresenceUpdate', args: ['composing', '14155550123@s.whatsapp.net'] },
      { name: 'sendMessage', args: ['14155550123@s.whatsapp.net', { text: 'See you at 3' }, { messageId: '3EB0ABC' }] },
      { name: 'requestPairingCode', args: ['14155550001'] },
      { name: 'logout', args: [] },
      { name: 'end', args: [] },
    ]);
  });
});
