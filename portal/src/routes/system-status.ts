import type { PageData } from './$types';

/** Plain-language names for the backend's readiness checks. */
const DEPENDENCIES: Record<string, { label: string; technology: string }> = {
  postgres: { label: 'Database', technology: 'PostgreSQL' },
  redis: { label: 'Queues & cache', technology: 'Redis' },
  n8n: { label: 'Automations', technology: 'n8n' },
};

export function describeDependency(name: string) {
  return DEPENDENCIES[name] ?? { label: name, technology: 'Service' };
}

export type StatusSummary = { tone: 'ok' | 'warn' | 'down'; label: string };

export function summarize(readiness: PageData['readiness']): StatusSummary {
  if (!readiness) return { tone: 'down', label: 'Unavailable' };
  const checks = Object.values(readiness.checks);
  const failing = checks.filter((check) => !check.ok).length;
  if (failing === 0) {
    return readiness.status === 'ok' ? { tone: 'ok', label: 'All systems operational' } : { tone: 'warn', label: 'Degraded' };
  }
  if (failing === checks.length) return { tone: 'down', label: 'Major outage' };
  return { tone: 'warn', label: failing === 1 ? '1 service needs attention' : `${failing} services need attention` };
}
