import { expect } from 'chai';
import { DEFAULT_MESSAGING_SETTINGS } from '../../src/modules/policy/messaging-settings.js';
import { defaultChannelRules, providerForSend } from '../../src/modules/policy/whatsapp-transport.js';
import { whatsappSessionWindow } from '../../src/modules/policy/whatsapp-window.js';

const settings = (overrides: Partial<typeof DEFAULT_MESSAGING_SETTINGS> = {}) => ({ ...DEFAULT_MESSAGING_SETTINGS, ...overrides });

describe('WhatsApp transport choice', () => {
  it('when a tenant has not chosen, then WhatsApp messages are stamped for the linked device (baileys) with the 24-hour window on', () => {
    expect(providerForSend('whatsapp', settings())).to.equal('baileys');
    expect(defaultChannelRules('whatsapp', settings(), 'baileys')).to.include(whatsappSessionWindow);
  });

  it("when the tenant chose the Cloud API, then WhatsApp messages are stamped 'whatsapp_cloud'; other channels keep their default", () => {
    expect(providerForSend('whatsapp', settings({ whatsappTransport: 'cloud' }))).to.equal('whatsapp_cloud');
    for (const channel of ['sms', 'telegram', 'web'] as const) expect(providerForSend(channel, settings({ whatsappTransport: 'cloud' }))).to.equal(null);
  });

  const ROWS = [
    { when: 'a linked-device number, window flag on', provider: 'baileys', flag: true, window: true },
    { when: 'a linked-device number, window flag off', provider: 'baileys', flag: false, window: false },
    { when: 'a Cloud API number, window flag off (Meta enforces it)', provider: 'whatsapp_cloud', flag: false, window: true },
    { when: 'a Cloud API number, window flag on', provider: 'whatsapp_cloud', flag: true, window: true },
    { when: 'a message with no provider yet, window flag off', provider: null, flag: false, window: true },
  ];
  for (const row of ROWS) {
    it(`when ${row.when}, then the 24-hour window ${row.window ? 'applies' : 'does not apply'}`, () => {
      const rules = defaultChannelRules('whatsapp', settings({ linkedDeviceSessionWindow: row.flag }), row.provider) ?? [];
      expect(rules.includes(whatsappSessionWindow)).to.equal(row.window);
    });
  }

  it('when the window flag is off, then SMS and Telegram rules are untouched', () => {
    expect(defaultChannelRules('sms', settings({ linkedDeviceSessionWindow: false }), 'twilio')).to.equal(undefined);
    expect(defaultChannelRules('telegram', settings({ linkedDeviceSessionWindow: false }), 'telegram')).to.equal(undefined);
  });
});
