// `make workflows-export`: copies the shipped workflows, as edited in the native stack's n8n, back
// into n8n-workflows/ in our normalised form (see normalise-workflow.ts). Only workflows whose fixed
// id already has a file there are written; other workflows in n8n are listed and left alone.
//
//   npx tsx deploy/n8n/export-workflows.ts [--check] [--from-env]
//
// --check writes nothing and exits 1 when a file would change (CI: "the repo matches n8n").
// Uses the n8n CLI against the native dev stack's database (.run/dev; reading is safe while n8n runs),
// or, with --from-env, against whatever n8n the environment describes (DB_*, N8N_ENCRYPTION_KEY; `n8n`
// on PATH), e.g. inside the n8n container.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { defaultStackOptions, stackEnvironment } from '../native/stack.js';
import { repoRoot } from '../native/tools.js';
import { workflowFileText } from './normalise-workflow.js';

const check = process.argv.includes('--check');
const fromEnv = process.argv.includes('--from-env');
const workflowsDir = join(repoRoot, 'n8n-workflows');

function n8nCommand(): { bin: string; env: NodeJS.ProcessEnv } {
  if (fromEnv) return { bin: 'n8n', env: process.env };
  const { tools, n8nEnv, path } = stackEnvironment(defaultStackOptions());
  return { bin: tools.n8nBin, env: { ...process.env, ...n8nEnv, PATH: `${dirname(tools.n8nBin)}:${path}` } };
}

const outDir = mkdtempSync(join(tmpdir(), 'sb-n8n-export-'));
try {
  const { bin, env } = n8nCommand();
  execFileSync(bin, ['export:workflow', '--backup', `--output=${outDir}/`], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const exported = new Map<string, { id: string }>();
  for (const file of readdirSync(outDir).filter((name) => name.endsWith('.json'))) {
    const workflow = JSON.parse(readFileSync(join(outDir, file), 'utf8')) as { id: string };
    exported.set(workflow.id, workflow);
  }

  let changed = 0;
  const shipped = new Set<string>();
  for (const file of readdirSync(workflowsDir).filter((name) => name.endsWith('.json')).sort()) {
    const target = join(workflowsDir, file);
    const current = readFileSync(target, 'utf8');
    const { id } = JSON.parse(current) as { id: string };
    shipped.add(id);
    const workflow = exported.get(id);
    if (!workflow) {
      console.warn(`${file}: workflow ${id} is not in n8n (not bootstrapped yet?), left as is`);
      continue;
    }
    const text = workflowFileText(workflow);
    if (text === current) continue;
    changed++;
    if (check) console.log(`${file}: differs from n8n`);
    else {
      writeFileSync(target, text);
      console.log(`${file}: updated from n8n`);
    }
  }
  const others = [...exported.keys()].filter((id) => !shipped.has(id));
  if (others.length) console.log(`not shipped (no file in n8n-workflows/, ignored): ${others.join(', ')}`);
  console.log(changed ? `${changed} workflow file(s) ${check ? 'differ' : 'updated'}` : 'n8n-workflows/ matches n8n');
  if (check && changed) process.exitCode = 1;
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
