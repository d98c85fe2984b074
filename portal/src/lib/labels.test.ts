import { describe, expect, it } from 'vitest';
import { channelLabel, humanize, providerLabel, roleLabel, statusLabel, workflowLabel } from './labels.js';

describe('labels people read instead of internal names', () => {
  it('when a page shows a provider, channel, role or workflow, then it reads as words', () => {
    expect(providerLabel('whatsapp_cloud')).toBe('WhatsApp (Cloud API)');
    expect(providerLabel('twilio')).toBe('Twilio (SMS and calls)');
    expect(channelLabel('sms')).toBe('SMS');
    expect(channelLabel('whatsapp')).toBe('WhatsApp');
    expect(roleLabel('tenant_owner')).toBe('Owner');
    expect(roleLabel('agency_operator')).toBe('Agency operator');
    expect(workflowLabel('sb-after-call-followup')).toBe('Missed-call text-back');
    expect(workflowLabel('sbAfterCall00001')).toBe('Missed-call text-back');
    expect(workflowLabel('Switchboard: follow-up sequence')).toBe('Follow-up messages');
    expect(statusLabel('undelivered')).toBe('Not delivered');
    expect(statusLabel('no-answer')).toBe('No answer');
  });

  it('when a value is new to the map, then it is still shown without underscores or our prefix', () => {
    expect(providerLabel('google_business_messages')).toBe('Google business messages');
    expect(workflowLabel('sb-new-flow')).toBe('New flow');
    expect(humanize('whatsapp_cloud')).toBe('Whatsapp cloud');
  });

  it('when there is no value, then a dash is shown', () => {
    expect(channelLabel(null)).toBe('—');
    expect(statusLabel(undefined)).toBe('—');
  });
});
