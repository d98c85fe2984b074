import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Reads the pinned versions from versions.sh, the single source shared with the shell installer. */
function pinned(name: string): string {
  const text = readFileSync(join(repoRoot, 'deploy/native/versions.sh'), 'utf8');
  const match = new RegExp(`^${name}="\\$\\{${name}:-([^}]+)\\}"`, 'm').exec(text);
  if (!match) throw new Error(`${name} not found in deploy/native/versions.sh`);
  return process.env[name] ?? match[1]!;
}

export function toolPaths() {
  const cache = process.env.SWITCHBOARD_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'switchboard');
  const nodeDir = join(cache, `node-${pinned('SB_NODE_VERSION')}`);
  const n8nDir = join(cache, `n8n-${pinned('SB_N8N_VERSION')}`);
  return { nodeBin: join(nodeDir, 'bin'), n8nBin: join(n8nDir, 'node_modules', '.bin', 'n8n'), n8nVersion: pinned('SB_N8N_VERSION') };
}

export function assertToolsInstalled(): ReturnType<typeof toolPaths> {
  const tools = toolPaths();
  if (!existsSync(join(tools.nodeBin, 'node')) || !existsSync(tools.n8nBin)) {
    throw new Error('Node 24 or n8n is not installed yet. Run: bash deploy/native/install-tools.sh   (or make dev, which does it)');
  }
  return tools;
}
