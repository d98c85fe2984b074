import { expect } from 'chai';
import { BaileysMessaging, whatsappMessageId } from '../../src/adapters/messaging/baileys.js';
import { baileysAuthState } from '../../src/adapters/whatsapp/baileys-linked-device.js';
import { linkedDeviceColdContactGuard, defaultChannelRules } from '../../src/modules/policy/whatsapp-transport.js';
import { whatsappSessionWindow } from '../../src/modules/policy/whatsapp-window.js';
import { ProviderError } from '../../src/ports/messaging.js';
import type { AuthEntryStore, LinkedDeviceSocket } from '../../src/ports/whatsapp-linked-device.js';

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

const outbound = { messageId: 'm1', tenantId: 't1', channel: 'whatsapp' as const, from: '', to: '+14155550100', body: 'Hello there', idempotencyKey: 'k1' };

describe('WhatsApp linked device: Baileys auth state, adapter, ban-risk rules', () => {
  it("when Baileys' credentials and keys go through our store, then they come back byte for byte (a restart needs no QR)", async () => {
    const store = memoryStore();
    const first = await baileysAuthState(store);
    expect(first.creds.noiseKey.private).to.be.instanceOf(Uint8Array);
    await first.saveCreds();
    await first.keys.set({ 'pre-key': { 7: { public: new Uint8Array([1, 2, 3]), private: new Uint8Array([4, 5, 6]) } } });
    const again = await baileysAuthState(store);
    expect(Buffer.from(again.creds.noiseKey.private).equals(Buffer.from(first.creds.noiseKey.private))).to.equal(true);
    expect(again.creds.registrationId).to.equal(first.creds.registrationId);
    const keys = await again.keys.get('pre-key', ['7', '8']);
    expect(Object.keys(keys)).to.deep.equal(['7']);
    expect(Buffer.from(keys['7']!.private).toString('hex')).to.equal('040506');
    await again.keys.set({ 'pre-key': { 7: null } });
    expect(await again.keys.get('pre-key', ['7'])).to.deep.equal({});
  });

  it('when a message is sent, then the chat sees "typing" first, and the WhatsApp id is stable per message', async () => {
    const calls: string[] = [];
    const socket: LinkedDeviceSocket = {
      sendPresence: async (_to, state) => void calls.push(state),
      sendText: async (_to, text, options) => { calls.push(`text:${text}`); return { id: options!.messageId! }; },
      requestPairingCode: async () => 'CODE', logout: async () => undefined, end: () => undefined,
    };
    const waits: number[] = [];
    const adapter = new BaileysMessaging({ socketFor: () => ({ socket, phone: '+14155550001' }) }, { sleep: async (ms) => void waits.push(ms) });
    const result = await adapter.send(outbound);
    expect(calls).to.deep.equal(['composing', 'paused', 'text:Hello there']);
    expect(waits[0]).to.be.within(800, 4000);
    expect(result).to.deep.equal({ providerMessageId: whatsappMessageId('k1'), status: 'sent', from: '+14155550001' });
    expect(whatsappMessageId('k1')).to.match(/^3EB0[0-9A-F]{36}$/).and.equal(whatsappMessageId('k1'));
    expect(adapter.defaultPacing.messagesPerSecond).to.be.at.most(0.5);
  });

  it('when the session is logged out or banned, then the send fails for good with that reason; while reconnecting it is retried', async () => {
    for (const [state, kind, code] of [['logged_out', 'permanent', 'whatsapp_session_logged_out'], ['banned', 'permanent', 'whatsapp_session_banned'], ['connecting', 'transient', 'whatsapp_session_not_connected']] as const) {
      const adapter = new BaileysMessaging({ socketFor: () => ({ state }) });
      const err = await adapter.send(outbound).then(() => undefined, (e: unknown) => e);
      expect(err).to.be.instanceOf(ProviderError);
      expect(err).to.include({ kind });
      expect((err as ProviderError).details.code).to.equal(code);
    }
    const templated = await new BaileysMessaging({ socketFor: () => ({ state: 'open' }) }).send({ ...outbound, template: { name: 'missed_call' } }).catch((e: ProviderError) => e);
    expect((templated as ProviderError).details.code).to.equal('whatsapp_template_unsupported');
  });

  it('when WhatsApp never answers a send, then it times out: unknown outcome once the message left (the resend keeps its id), retried if only typing hung', async () => {
    const hang = () => new Promise<never>(() => undefined);
    const socket = (hangOn: 'text' | 'presence'): LinkedDeviceSocket => ({
      sendPresence: async () => (hangOn === 'presence' ? hang() : undefined),
      sendText: async () => (hangOn === 'text' ? hang() : { id: 'x' }),
      requestPairingCode: async () => 'CODE', logout: async () => undefined, end: () => undefined,
    });
    for (const [hangOn, kind] of [['text', 'unknown_outcome'], ['presence', 'transient']] as const) {
      const adapter = new BaileysMessaging({ socketFor: () => ({ socket: socket(hangOn), phone: null }) }, { sleep: async () => undefined, sendTimeoutMs: 30 });
      const err = await adapter.send(outbound).then(() => undefined, (e: unknown) => e);
      expect(err, hangOn).to.be.instanceOf(ProviderError);
      expect(err).to.include({ kind });
      expect((err as ProviderError).details.code).to.equal('whatsapp_send_timeout');
    }
  });

  it('when a linked-device send goes to someone who never wrote, then the cold-contact guard denies it unless the tenant allows cold messages', () => {
    const input = { channel: 'whatsapp', contact: { consent: 'opted_in', timeZone: 'UTC', lastInboundAt: null } } as unknown as Parameters<typeof linkedDeviceColdContactGuard>[0];
    expect(linkedDeviceColdContactGuard(input)?.reason.code).to.equal('WHATSAPP_COLD_CONTACT');
    expect(linkedDeviceColdContactGuard({ ...input, contact: { ...input.contact, lastInboundAt: new Date() } })).to.equal(undefined);
    expect(defaultChannelRules('whatsapp', { linkedDeviceSessionWindow: true, linkedDeviceColdContacts: false }, 'baileys')).to.deep.equal([linkedDeviceColdContactGuard, whatsappSessionWindow]);
    expect(defaultChannelRules('whatsapp', { linkedDeviceSessionWindow: false, linkedDeviceColdContacts: true }, 'baileys')).to.deep.equal([]);
    expect(defaultChannelRules('whatsapp', { linkedDeviceSessionWindow: false, linkedDeviceColdContacts: false }, 'whatsapp_cloud')).to.deep.equal([whatsappSessionWindow]);
  });
});
