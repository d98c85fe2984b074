import { join } from 'node:path';
import { parse } from 'yaml';
import { composeCommand, readRepoFile, repoPath, run, type RunResult } from './repo.js';

export type ComposeService = {
  image?: string;
  build?: unknown;
  restart?: string;
  ports?: unknown[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: { test?: unknown; disable?: boolean };
  environment?: Record<string, string | number | null>;
  networks?: Record<string, unknown> | string[];
};
export type ComposeConfig = {
  services: Record<string, ComposeService>;
  networks?: Record<string, { internal?: boolean } | null>;
  volumes?: Record<string, unknown>;
};

/** docker-compose.yml as written (YAML merge keys applied, variables not substituted). */
export function rawComposeFile(): ComposeConfig {
  return parse(readRepoFile('docker-compose.yml'), { merge: true }) as ComposeConfig;
}

/** `<compose> --env-file <envFile> -f docker-compose.yml config [args]`, run from the repository root. */
export function composeConfig(envFile: string, args: string[] = []): RunResult {
  const [command, ...prefix] = composeCommand();
  return run(command!, [...prefix, '--env-file', envFile, '-f', repoPath('docker-compose.yml'), 'config', ...args]);
}

/** The fully resolved configuration (anchors merged, variables substituted) as the compose client sees it. */
export function resolvedComposeConfig(envDir: string): ComposeConfig {
  const result = composeConfig(join(envDir, '.env'));
  if (result.status !== 0) throw new Error(`compose config failed:\n${result.stderr}`);
  return parse(result.stdout) as ComposeConfig;
}

export type VariableUse = { name: string; operator: string | undefined; argument: string | undefined };

/** Every ${VAR}, ${VAR:-default}, ${VAR:?message} in docker-compose.yml ($${...} escapes excluded). */
export function composeVariableUses(text = readRepoFile('docker-compose.yml')): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const match of text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-?+])([^}]*))?\}/g)) {
    uses.push({ name: match[1]!, operator: match[2], argument: match[3] });
  }
  return uses;
}

export function dependencies(service: ComposeService): Array<[string, string | undefined]> {
  const deps = service.depends_on ?? {};
  if (Array.isArray(deps)) return deps.map((name) => [name, undefined]);
  return Object.entries(deps).map(([name, options]) => [name, options?.condition]);
}

export function networkNames(service: ComposeService): string[] {
  const networks = service.networks ?? [];
  return Array.isArray(networks) ? networks : Object.keys(networks);
}
