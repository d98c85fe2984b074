import { describe, expect, it } from 'vitest';
import { automationErrorText } from './automation-error.js';

describe('automation error text on the Calls page', () => {
  it('when n8n passes on our API\'s JSON answer, then the message and the field problems read as a sentence', () => {
    const raw = '400 - {"error":{"code":"VALIDATION_FAILED","message":"The request is not valid","issues":[{"path":"to","message":"must be a phone number in international format"}]}}';
    expect(automationErrorText(raw)).toBe('The request is not valid. (to: must be a phone number in international format)');
  });

  it('when the error is plain text, then it is shown as written; a very long one is shortened', () => {
    expect(automationErrorText('The connection to the Switchboard API timed out')).toBe('The connection to the Switchboard API timed out');
    expect(automationErrorText('x'.repeat(500))).toHaveLength(298);
    expect(automationErrorText('Unexpected token { in template')).toBe('Unexpected token { in template');
    expect(automationErrorText('  ')).toBe('n8n gave no reason');
  });
});
