// What `make dev` shows while the stack runs: our own services' errors, one line each. Everything else
// (request logs, n8n's and third-party warnings, stack traces) goes to .run/<name>/logs/<process>.log only.

/** Processes whose errors are ours to show; n8n's output is its own business (its log file has it). */
const OURS = new Set(['api', 'worker', 'portal']);
const MAX = 220;

const oneLine = (text: string) => (text.length > MAX ? `${text.slice(0, MAX - 1)}…` : text);

/**
 * The console line for one output line of a process, or undefined to leave it in the log file.
 * Pino JSON lines at error level and above, and the first line of an uncaught error (never its "at …" frames).
 */
export function problemLine(process: string, line: string): string | undefined {
  if (!OURS.has(process)) return undefined;
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    try {
      const entry = JSON.parse(trimmed) as { level?: number | string; msg?: string; err?: { message?: string } | string };
      const level = typeof entry.level === 'number' ? entry.level : ({ error: 50, fatal: 60 } as Record<string, number>)[String(entry.level)] ?? 0;
      if (level < 50) return undefined;
      const detail = typeof entry.err === 'string' ? entry.err.split('\n')[0] : entry.err?.message;
      return oneLine(`error: ${entry.msg ?? 'see the log'}${detail ? ` (${detail})` : ''}`);
    } catch {
      return undefined;
    }
  }
  if (/^(?:[A-Z][A-Za-z]*Error|Error)(?: \[[A-Z_]+\])?: /.test(trimmed)) return oneLine(trimmed);
  return undefined;
}
