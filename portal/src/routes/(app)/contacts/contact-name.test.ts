import { describe, expect, it } from 'vitest';
import { confirmsErasure, displayName } from './contact-name.js';

const gina = { name: 'Gina  GDPR', phone: '+13125550100', email: 'gina@example.test', telegramChatId: null, leadStage: 'new' };

describe('contact names and the typed erasure confirmation', () => {
  it('when a contact has no name, then the page calls them by phone, e-mail or chat, and an erased one says so', () => {
    expect(displayName({ ...gina, name: null })).toBe('+13125550100');
    expect(displayName({ ...gina, name: null, phone: null })).toBe('gina@example.test');
    expect(displayName({ ...gina, name: null, phone: null, email: null, telegramChatId: '42' })).toBe('Telegram 42');
    expect(displayName({ ...gina, leadStage: 'erased' })).toBe('Erased contact');
  });

  it('when someone types the name to erase, then case and extra spaces do not matter but another word or nothing does', () => {
    expect(confirmsErasure(gina, ' gina gdpr ')).toBe(true);
    expect(confirmsErasure(gina, 'Gina')).toBe(false);
    expect(confirmsErasure(gina, 'ERASE')).toBe(false);
    expect(confirmsErasure({ ...gina, name: null, phone: null, email: null }, '')).toBe(false);
  });
});
