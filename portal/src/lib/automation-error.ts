/**
 * n8n's error for a failed automation, as a sentence. Our nodes report a refused call as
 * `Switchboard answered POST /api/v1/contacts with HTTP 400 (VALIDATION_FAILED: The request is not valid) — Details:
 * [{"path":"body.phone","message":"not a phone number we can read",...}]` (n8n-nodes/nodes/shared/transport.ts), and
 * other nodes may pass raw JSON on. The reason and each field's problem are shown; anything else stays as n8n
 * wrote it, shortened.
 */
type Issue = { path?: unknown; message?: unknown };

export function automationErrorText(raw: string): string {
  const text = raw.trim();
  if (text === '') return 'n8n gave no reason';
  const refused = /^Switchboard answered \S+ \S+ with HTTP \d+(?: \(([A-Z_]+): ([^)]*)\))?/.exec(text);
  const issues = fieldProblems(/Details: (\[[\s\S]*\])\s*$/.exec(text)?.[1]);
  if (refused) {
    const reason = refused[2]?.trim() || 'Switchboard refused the automation\'s request';
    return clip(`${reason.replace(/[.\s]*$/, '')}${issues ? `: ${issues}` : ''}.`);
  }
  const start = text.indexOf('{');
  if (start >= 0) {
    try {
      const parsed = JSON.parse(text.slice(start)) as { error?: { message?: unknown; issues?: Issue[] }; message?: unknown; issues?: Issue[] };
      const error = parsed.error ?? parsed;
      if (typeof error.message === 'string' && error.message.trim() !== '') {
        const listed = fieldProblems(JSON.stringify(error.issues ?? []));
        return clip(`${error.message.trim().replace(/[.\s]*$/, '')}${listed ? `: ${listed}` : ''}.`);
      }
    } catch {
      // not JSON after all: shown as written
    }
  }
  return clip(text);
}

/** "phone — not a phone number we can read; name — too long" from the API's issue list (at most three). */
function fieldProblems(json: string | undefined): string {
  if (!json) return '';
  try {
    const list = JSON.parse(json) as Issue[];
    return (Array.isArray(list) ? list : []).filter((i) => typeof i?.message === 'string').slice(0, 3)
      .map((i) => {
        const field = typeof i.path === 'string' ? i.path.replace(/^(body|query|params)\./, '') : '';
        return field ? `${field} — ${String(i.message)}` : String(i.message);
      }).join('; ');
  } catch {
    return '';
  }
}

const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 297)}…` : text);
