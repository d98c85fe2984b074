import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const repoPath = (...parts: string[]): string => join(repoRoot, ...parts);
export const readRepoFile = (...parts: string[]): string => readFileSync(repoPath(...parts), 'utf8');

export type RunResult = { status: number | null; stdout: string; stderr: string };

/** Runs a command with only PATH and HOME from our environment, so a stray DOMAIN=... cannot mask a bug. */
export function run(command: string, args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): RunResult {
  const result = spawnSync(command, args, {
    cwd: options.cwd ?? repoRoot,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', ...options.env },
    encoding: 'utf8',
  });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function isOnPath(command: string, versionArgs: string[]): boolean {
  const result = spawnSync(command, versionArgs, { stdio: 'ignore' });
  return !result.error && result.status === 0;
}

/** Fails (never skips) when a tool is missing, naming the Debian package that provides it. */
export function requireTool(command: string, aptPackage: string, versionArgs = ['--version']): void {
  if (!isOnPath(command, versionArgs)) {
    throw new Error(`"${command}" is not installed; these tests need it: apt-get update && apt-get install -y ${aptPackage}`);
  }
}

/** The compose client: the `docker compose` plugin when present, else the Debian docker-compose (v1.29). */
export function composeCommand(): string[] {
  if (isOnPath('docker', ['compose', 'version'])) return ['docker', 'compose'];
  requireTool('docker-compose', 'docker-compose', ['version']);
  return ['docker-compose'];
}

/** A temporary folder holding a copy of .env.example; removed by the returned cleanup. */
export function tempDirWithEnvExample(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'switchboard-static-'));
  copyFileSync(repoPath('.env.example'), join(dir, '.env.example'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function runInitEnv(dir: string): RunResult {
  return run('bash', [repoPath('deploy/scripts/init-env.sh'), dir]);
}

/** KEY=value lines of an env file (comments and blank lines ignored). */
export function parseEnvFile(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) values.set(match[1]!, match[2]!);
  }
  return values;
}
