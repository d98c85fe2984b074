import { describe, expect, it } from 'vitest';
import { readSignupSettingsForm, unofferableReason } from './signup-settings-form.js';

const plans = [
  { id: 'a', name: 'Starter', offerable: true, reason: null },
  { id: 'b', name: 'Legacy', offerable: false, reason: 'archived' as const },
  { id: 'c', name: 'Growth', offerable: true, reason: null },
];

function form(entries: [string, string][]): FormData {
  const data = new FormData();
  for (const [key, value] of entries) data.append(key, value);
  return data;
}

describe('readSignupSettingsForm', () => {
  it('when the switch is on and plans are ticked, then they are sent in the page\'s order', () => {
    expect(readSignupSettingsForm(form([['enabled', 'on'], ['planId', 'c'], ['planId', 'a']]), plans)).toEqual({ enabled: true, planIds: ['a', 'c'] });
  });

  it('when a plan that cannot be offered is ticked (a forged form), then it is left out', () => {
    expect(readSignupSettingsForm(form([['planId', 'b'], ['planId', 'a']]), plans)).toEqual({ enabled: false, planIds: ['a'] });
  });

  it('when nothing is ticked, then sign-up is off with no plans', () => {
    expect(readSignupSettingsForm(form([]), plans)).toEqual({ enabled: false, planIds: [] });
  });

  it('when a plan cannot be offered, then the page says why', () => {
    expect(unofferableReason('not_synced')).toMatch(/Retry sync/);
    expect(unofferableReason(null)).toBeNull();
  });
});
