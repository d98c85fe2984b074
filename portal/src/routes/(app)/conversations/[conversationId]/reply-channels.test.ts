import { describe, expect, it } from 'vitest';
import { replyChannels } from './reply-channels.js';

const caller = { phone: '+13125550100', telegramChatId: null };
const none = { sms: false, whatsapp: false, telegram: false };

describe('channels a reply is offered on', () => {
  it('when the conversation is on WhatsApp but no WhatsApp is connected, then only SMS is offered', () => {
    expect(replyChannels('whatsapp', { ...none, sms: true }, caller)).toEqual(['sms']);
  });

  it('when both are connected, then the conversation’s own channel comes first', () => {
    expect(replyChannels('sms', { ...none, sms: true, whatsapp: true }, caller)).toEqual(['sms', 'whatsapp']);
  });

  it('when the contact has no Telegram chat, then Telegram is not offered even with a bot', () => {
    expect(replyChannels('sms', { sms: true, whatsapp: false, telegram: true }, caller)).toEqual(['sms']);
    expect(replyChannels('telegram', { ...none, telegram: true }, { phone: null, telegramChatId: '42' })).toEqual(['telegram']);
  });

  it('when nothing is connected, then no channel is offered', () => {
    expect(replyChannels('whatsapp', none, caller)).toEqual([]);
  });

  it('when availability is unknown, then the conversation’s channel is kept', () => {
    expect(replyChannels('whatsapp', null, caller)).toEqual(['whatsapp']);
  });

  it('when the conversation is web chat, then the reply stays in the widget', () => {
    expect(replyChannels('web', { ...none, sms: true }, { phone: null, telegramChatId: null })).toEqual(['web']);
  });
});
