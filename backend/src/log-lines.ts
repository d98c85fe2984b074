// `make logs` for people: each JSON log line of the API, worker and backup (pino) becomes one short line —
// time, level, service, message, then the context (tenant, request or job) and the other fields as key=value.
// Lines that are not ours (n8n, Caddy, PostgreSQL) pass through unchanged.

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const FIRST = ['requestId', 'job', 'jobId', 'tenantId', 'agencyId'];
const SKIPPED = new Set(['level', 'time', 'msg', 'service', 'name', 'pid', 'hostname', 'req', 'res', 'responseTime', 'err']);

function short(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const clipped = text.length > 120 ? `${text.slice(0, 117)}...` : text;
  // Strings with spaces are quoted; objects and arrays read as their JSON.
  return typeof value === 'string' && /[\s"=]/.test(clipped) ? JSON.stringify(clipped) : clipped;
}

/** One log line as a person reads it; whatever compose put before the JSON ("backend-1  | ") is kept. */
export function formatLogLine(line: string): string {
  const start = line.indexOf('{"level":');
  if (start < 0) return line;
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line.slice(start)) as Record<string, unknown>;
  } catch {
    return line;
  }
  const prefix = line.slice(0, start);
  const time = typeof entry.time === 'string' ? entry.time.slice(11, 19) : '';
  const level = (LEVELS[Number(entry.level)] ?? String(entry.level)).padEnd(5);
  const req = entry.req as { method?: string; url?: string } | undefined;
  const res = entry.res as { statusCode?: number } | undefined;
  const http = req?.method ? ` ${req.method} ${req.url ?? ''}${res?.statusCode ? ` → ${res.statusCode}` : ''}${typeof entry.responseTime === 'number' ? ` ${entry.responseTime} ms` : ''}` : '';
  const keys = [...FIRST.filter((k) => k in entry), ...Object.keys(entry).filter((k) => !FIRST.includes(k) && !SKIPPED.has(k))];
  const fields = keys.map((k) => `${k}=${short(entry[k])}`).join(' ');
  const err = typeof entry.err === 'string' ? { message: entry.err } : (entry.err as { message?: string; type?: string } | undefined);
  const error = err?.message ? ` error=${short(`${err.type ? `${err.type}: ` : ''}${err.message}`)}` : '';
  return `${prefix}${time} ${level} ${String(entry.msg ?? '')}${http}${fields ? `  ${fields}` : ''}${error}`;
}
