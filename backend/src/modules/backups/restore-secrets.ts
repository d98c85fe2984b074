// A backup carries the installation's .env, because its keys are needed to read the data (ENCRYPTION_KEY
// decrypts provider credentials and WhatsApp sessions, N8N_ENCRYPTION_KEY n8n's credentials). Restoring onto
// another install takes those values, but keeps what belongs to the new install: its database and Redis
// passwords (its volumes were created with them), its host names and its backup settings.

const KEPT_FROM_CURRENT = [/_PASSWORD$/, /^REDIS_/, /^DOMAIN$/, /^N8N_DOMAIN$/, /^ACME_EMAIL$/, /^COMPOSE_PROJECT_NAME$/, /^BACKUP_/];
// Except the two logins whose accounts live in the restored data: their passwords are the restored ones.
const RESTORED_PASSWORDS = new Set(['SEED_ADMIN_PASSWORD', 'N8N_OWNER_PASSWORD']);

const ASSIGNMENT = /^([A-Z][A-Z0-9_]*)=(.*)$/;

function assignments(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const m = ASSIGNMENT.exec(line);
    if (m) values.set(m[1]!, m[2]!);
  }
  return values;
}

export const isRestored = (name: string) => RESTORED_PASSWORDS.has(name) || !KEPT_FROM_CURRENT.some((re) => re.test(name));

/**
 * The current .env with the backup's values for every restored variable: lines are replaced in place,
 * variables the current file lacks are appended, comments and the kept variables are untouched.
 */
export function mergeRestoredSecrets(currentEnv: string, backedUpEnv: string): { text: string; changed: string[] } {
  const restored = new Map([...assignments(backedUpEnv)].filter(([name]) => isRestored(name)));
  const changed: string[] = [];
  const seen = new Set<string>();
  const lines = currentEnv.split('\n').map((line) => {
    const m = ASSIGNMENT.exec(line);
    if (!m || !restored.has(m[1]!)) return line;
    seen.add(m[1]!);
    const value = restored.get(m[1]!)!;
    if (value !== m[2]) changed.push(m[1]!);
    return `${m[1]}=${value}`;
  });
  const missing = [...restored].filter(([name]) => !seen.has(name));
  if (missing.length > 0) {
    if (lines.at(-1) === '') lines.pop();
    lines.push('', '# Restored from a backup by `make restore` (the data needs these values)');
    for (const [name, value] of missing) {
      lines.push(`${name}=${value}`);
      changed.push(name);
    }
    lines.push('');
  }
  return { text: lines.join('\n'), changed };
}
