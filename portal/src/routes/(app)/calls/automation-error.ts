/**
 * n8n's error for a failed automation, as a sentence: n8n often reports our API's answer as raw JSON
 * (`400 - {"error":{"code":"VALIDATION_FAILED","message":"…","issues":[{"path":"to","message":"…"}]}}`). The message
 * and each field's problem are shown; anything else stays as n8n wrote it, shortened.
 */
export function automationErrorText(raw: string): string {
  const start = raw.indexOf('{');
  if (start >= 0) {
    try {
      const parsed = JSON.parse(raw.slice(start)) as { error?: ApiError; message?: string } & ApiError;
      const error: ApiError = parsed.error ?? parsed;
      if (typeof error.message === 'string' && error.message.trim() !== '') {
        const issues = (error.issues ?? []).filter((i) => i && typeof i.message === 'string').slice(0, 3)
          .map((i) => (i.path ? `${String(i.path)}: ${i.message}` : i.message));
        return clip(`${sentence(error.message)}${issues.length > 0 ? ` (${issues.join('; ')})` : ''}`);
      }
    } catch {
      // not JSON after all: shown as written
    }
  }
  return clip(raw.trim() || 'n8n gave no reason');
}

type ApiError = { message?: string; issues?: { path?: unknown; message: string }[] };

const sentence = (text: string) => text.trim().replace(/[.\s]*$/, '.');
const clip = (text: string) => (text.length > 300 ? `${text.slice(0, 297)}…` : text);
