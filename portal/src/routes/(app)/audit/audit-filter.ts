export type AuditFilter = { actorId: string; action: string; from: string; to: string };

/** Filters as the page's GET form sends them; dates are whole days (the "to" day is included). */
export function filterFrom(url: URL): AuditFilter {
  const get = (name: string) => (url.searchParams.get(name) ?? '').trim().slice(0, 200);
  const day = (value: string) => (/^\d{4}-\d{2}-\d{2}$/.test(value) ? value : '');
  return { actorId: get('actorId'), action: get('action'), from: day(get('from')), to: day(get('to')) };
}

/** Backend query string: blank filters are left out, days become UTC instants. */
export function backendQuery(filter: AuditFilter, extra: Record<string, string>): string {
  const params = new URLSearchParams(extra);
  if (filter.actorId) params.set('actorId', filter.actorId);
  if (filter.action) params.set('action', filter.action);
  if (filter.from) params.set('from', `${filter.from}T00:00:00.000Z`);
  if (filter.to) params.set('to', new Date(Date.parse(`${filter.to}T00:00:00.000Z`) + 86_400_000).toISOString());
  return params.toString();
}
