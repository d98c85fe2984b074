import type { StoredAuditEvent } from './audit-repository.js';

const COLUMNS = [
  'createdAt', 'tenantId', 'chainKey', 'seq', 'actorType', 'actorId', 'actingAsTenantId', 'action',
  'targetType', 'targetId', 'requestId', 'ip', 'before', 'after', 'prevHash', 'hash',
] as const satisfies readonly (keyof StoredAuditEvent)[];

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value);
  // Spreadsheets run cells starting with these as formulas; a leading quote keeps them text.
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function auditEventsToCsv(events: readonly StoredAuditEvent[]): string {
  const lines = [COLUMNS.join(',')];
  for (const event of events) lines.push(COLUMNS.map((column) => cell(event[column])).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
