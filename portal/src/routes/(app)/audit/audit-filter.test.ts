import { describe, expect, it } from 'vitest';
import { backendQuery, filterFrom } from './audit-filter.js';

describe('audit filters', () => {
  it('when the page is asked for a date range, then the "to" day is included up to its last millisecond', () => {
    const filter = filterFrom(new URL('http://portal/audit?from=2026-11-01&to=2026-11-21&action=auth.act_as_tenant.started'));
    const query = new URLSearchParams(backendQuery(filter, { limit: '100' }));
    expect(query.get('from')).toBe('2026-11-01T00:00:00.000Z');
    expect(query.get('to')).toBe('2026-11-22T00:00:00.000Z');
    expect(query.get('action')).toBe('auth.act_as_tenant.started');
    expect(query.get('limit')).toBe('100');
  });

  it('when filters are blank or malformed, then they are left out instead of reaching the API', () => {
    const filter = filterFrom(new URL('http://portal/audit?from=yesterday&to=&actorId=%20%20'));
    expect(filter).toEqual({ actorId: '', action: '', from: '', to: '' });
    expect(backendQuery(filter, { format: 'csv' })).toBe('format=csv');
  });
});
