import { describe, expect, it } from 'vitest';
import { resolveTimeZone, timeZoneOptions } from './time-zones.js';

describe('time zones people can find', () => {
  it('when the list is built, then every zone has a friendly label with its IANA name and UTC is there', () => {
    const options = timeZoneOptions();
    expect(options.length).toBeGreaterThan(300);
    expect(options).toContainEqual({ value: 'America/New_York', label: 'New York (America/New_York)' });
    expect(options.some((o) => o.value === 'UTC')).toBe(true);
  });

  it('when someone types a city, a zone name in any case, or picks a label, then the IANA zone is found', () => {
    expect(resolveTimeZone('New York')).toBe('America/New_York');
    expect(resolveTimeZone('  new york ')).toBe('America/New_York');
    expect(resolveTimeZone('america/new_york')).toBe('America/New_York');
    expect(resolveTimeZone('New York (America/New_York)')).toBe('America/New_York');
    expect(resolveTimeZone('Europe/Berlin')).toBe('Europe/Berlin');
    expect(resolveTimeZone('utc')).toBe('UTC');
  });

  it('when the text names no zone, then nothing is guessed', () => {
    expect(resolveTimeZone('Atlantis')).toBeUndefined();
    expect(resolveTimeZone('')).toBeUndefined();
  });
});
