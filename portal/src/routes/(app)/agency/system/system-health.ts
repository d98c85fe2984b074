/** Plain-language pieces of the System health page (pure, so they are unit-tested). */

export type ServiceState = 'ok' | 'degraded' | 'down';

/** "just now", "5 min", "3 h 20 min", "2 days 4 h": how long something has waited. */
export function formatAge(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return s < 5 ? 'just now' : `${s} s`;
  const minutes = Math.floor(s / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  const days = Math.floor(hours / 24);
  return hours % 24 === 0 ? `${days} days` : `${days} days ${hours % 24} h`;
}

/** "just now", "5 min ago". */
export function formatAgo(seconds: number): string {
  const age = formatAge(seconds);
  return age === 'just now' || age === '—' ? age : `${age} ago`;
}

/** Seconds between an ISO time and now. */
export function ageSeconds(iso: string, now: Date = new Date()): number {
  return Math.max(0, Math.floor((now.getTime() - Date.parse(iso)) / 1000));
}

/** 1536 → "1.5 KB"; binary units, one decimal below 10. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${value} bytes`;
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} ${units[unit]}`;
}

/** The n8n editor's page of one execution; undefined when the editor URL or the execution is unknown. */
export function n8nExecutionUrl(editorUrl: string | null | undefined, workflowId: string, executionId: string | null): string | undefined {
  if (!editorUrl || !executionId) return undefined;
  return `${editorUrl.replace(/\/+$/, '')}/workflow/${encodeURIComponent(workflowId)}/executions/${encodeURIComponent(executionId)}`;
}

export const SERVICE_NAMES: Record<string, string> = { api: 'API', worker: 'Worker', postgres: 'PostgreSQL', redis: 'Redis', n8n: 'n8n (automations)' };
export const STATE_LABELS: Record<ServiceState, string> = { ok: 'Working', degraded: 'Slow', down: 'Not working' };

export const DEAD_LETTER_KINDS: Record<string, string> = {
  inbound: 'Incoming message', outbox: 'Outgoing message', 'event-delivery': 'Webhook delivery (n8n)',
};

export const WEBHOOK_PROVIDERS: Record<string, string> = {
  twilio: 'Twilio', 'whatsapp-cloud': 'WhatsApp (Cloud API)', telegram: 'Telegram', stripe: 'Stripe',
};

/** What the backup block says first. */
export const BACKUP_STATES: Record<string, ServiceState> = {
  ok: 'ok', failed: 'down', stale: 'degraded', never: 'degraded', unreadable: 'down', unconfigured: 'degraded',
};
