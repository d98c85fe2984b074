import { expect } from 'chai';
import { describeTime, parseWhen } from '../../src/modules/agent-runtime/agent-tools.js';
import { buildAgentPrompt, PROMPT_LIMITS, type PromptInput } from '../../src/modules/agent-runtime/build-prompt.js';
import { leaksPrompt, repeatsLastReply } from '../../src/modules/agent-runtime/reply-guards.js';
import { DEFAULT_BASE_TEMPLATE } from '../../src/modules/agents/base-template.js';
import { diffLines } from '../../src/modules/agents/diff-versions.js';
import { issueSessionToken, readSessionToken } from '../../src/modules/web-chat/chat-session-token.js';

const input = (over: Partial<PromptInput> = {}): PromptInput => ({
  baseTemplate: DEFAULT_BASE_TEMPLATE, agent: { name: 'Ava', purpose: 'book cleanings' }, facts: { businessName: 'Bright Smile', prices: 'Cleaning $90' },
  instructions: 'Be brief.', businessName: 'Bright Smile', channel: 'telegram', contact: { name: 'Dana', leadStage: 'new' }, timeZone: 'America/New_York',
  now: new Date('2030-03-05T15:00:00Z'), services: [], upcoming: [], summary: null, history: [], toolResults: [], canary: 'ref-0123456789ab', ...over,
});

describe('agent guards and prompt', () => {
  it('when a reply contains the canary or a long verbatim run of the prompt, then it leaks; a short common phrase does not', () => {
    const system = buildAgentPrompt(input())[0]!.content;
    expect(leaksPrompt('Sure: [ref-0123456789ab]', system, 'ref-0123456789ab')).to.equal(true);
    const chunk = system.slice(system.indexOf('Answer only'), system.indexOf('Answer only') + 140);
    expect(leaksPrompt(`My instructions say: ${chunk}`, system, 'ref-0123456789ab')).to.equal(true);
    expect(leaksPrompt('Keep it short! A cleaning is $90 and we are open Mon-Fri.', system, 'ref-0123456789ab')).to.equal(false);
  });

  it('when the next reply equals the last one but for case and punctuation, then it is a repeat', () => {
    expect(repeatsLastReply('Thanks for your message!', 'thanks for your message')).to.equal(true);
    expect(repeatsLastReply('Thanks!', 'Thanks for your message')).to.equal(false);
    expect(repeatsLastReply('Thanks!', null)).to.equal(false);
  });

  it('when the prompt is built, then it has the three layers, the local time, and customer text only as user messages, each clipped', () => {
    const messages = buildAgentPrompt(input({
      history: [
        { seq: 1, direction: 'inbound', source: 'contact', body: 'x'.repeat(5000), status: 'received', at: new Date() },
        { seq: 2, direction: 'outbound', source: 'user', body: 'Hi, Sam here', status: 'sent', at: new Date() },
      ],
      summary: 'Dana wants a Friday slot.',
    }));
    const system = messages[0]!.content;
    expect(system).to.include('You are Ava, the assistant of Bright Smile, chatting with a customer on telegram.')
      .and.include('Cleaning $90').and.include('BUSINESS INSTRUCTIONS:\nBe brief.').and.include('NOW: Tue 2030-03-05 10:00 (America/New_York)')
      .and.include('Dana wants a Friday slot.');
    expect(messages[1]).to.deep.equal({ role: 'user', content: `${'x'.repeat(PROMPT_LIMITS.messageChars)}…` });
    expect(messages[2]).to.deep.equal({ role: 'assistant', content: '[team member] Hi, Sam here' });
  });

  it('when the model names a time without an offset, then it is read in the business time zone (DST included); with an offset as given', () => {
    expect(parseWhen('2030-03-05T09:30', 'America/New_York').toISOString()).to.equal('2030-03-05T14:30:00.000Z');
    expect(parseWhen('2030-07-05T09:30', 'America/New_York').toISOString()).to.equal('2030-07-05T13:30:00.000Z');
    expect(parseWhen('2030-07-05T09:30:00Z', 'America/New_York').toISOString()).to.equal('2030-07-05T09:30:00.000Z');
    expect(() => parseWhen('next tuesday', 'UTC')).to.throw(/Not a date/);
    expect(describeTime(new Date('2030-07-05T13:30:00Z'), 'America/New_York').local).to.equal('Fri 2030-07-05 09:30');
  });

  it('when two versions differ, then the diff shows removed and added lines in order', () => {
    expect(diffLines('a\nb\nc', 'a\nB\nc\nd')).to.deep.equal([
      { op: 'same', text: 'a' }, { op: 'removed', text: 'b' }, { op: 'added', text: 'B' }, { op: 'same', text: 'c' }, { op: 'added', text: 'd' },
    ]);
  });

  it('when a web chat session token is tampered with or expired, then it is refused', () => {
    const key = Buffer.alloc(32, 7);
    const session = { agencyId: 'a', tenantId: 't', agentId: 'g', contactId: 'c' };
    const token = issueSessionToken(key, session, 1_000);
    expect(readSessionToken(key, token, 2_000)).to.include(session);
    const [payload, signature] = token.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...session, contactId: 'someone-else', expiresAt: 9e15 })).toString('base64url');
    expect(readSessionToken(key, `${forgedPayload}.${signature}`, 2_000)).to.equal(undefined);
    expect(readSessionToken(Buffer.alloc(32, 8), token, 2_000)).to.equal(undefined);
    expect(readSessionToken(key, `${payload}.${signature}`, 1_000 + 31 * 86_400_000)).to.equal(undefined);
  });
});
