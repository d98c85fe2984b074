import { describe, expect, it } from 'vitest';
import { automationErrorText } from './automation-error.js';

describe('automation error text on the Calls page', () => {
  it('when our n8n node reports a refused call, then the reason and the field problem read as a sentence', () => {
    const raw = 'Switchboard answered POST /api/v1/contacts with HTTP 400 (VALIDATION_FAILED: The request is not valid) — Details: '
      + '[{"path":"body.phone","message":"not a phone number we can read (read as US when it has no +country code)","code":"invalid_phone"}]';
    expect(automationErrorText(raw)).toBe('The request is not valid: phone — not a phone number we can read (read as US when it has no +country code).');
    expect(automationErrorText('Switchboard answered GET /api/v1/templates/x with HTTP 503')).toBe('Switchboard refused the automation\'s request.');
  });

  it('when another node passes an API\'s JSON answer on, then its message and issues are used', () => {
    const raw = '400 - {"error":{"code":"VALIDATION_FAILED","message":"The request is not valid","issues":[{"path":"to","message":"must be a phone number"}]}}';
    expect(automationErrorText(raw)).toBe('The request is not valid: to — must be a phone number.');
  });

  it('when the error is plain text, then it is shown as written; a very long one is shortened', () => {
    expect(automationErrorText('The connection to the Switchboard API timed out')).toBe('The connection to the Switchboard API timed out');
    expect(automationErrorText('x'.repeat(500))).toHaveLength(298);
    expect(automationErrorText('Unexpected token { in template')).toBe('Unexpected token { in template');
    expect(automationErrorText('  ')).toBe('n8n gave no reason');
  });
});
