// `make bench`: every benchmark in turn, each in its own process (they start their own servers and databases).
// Benchmarks print figures; they are not tests. Exit code 1 only when a benchmark could not run or found lost
// or duplicated messages. Pick some with BENCH_ONLY=inbound-webhooks,outbound-pipeline.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { repoDir } from './support/processes.js';

// n8n-executions starts a whole native stack (n8n included): on a shared machine run it under `flock /tmp/sb-e2e.lock`.
const ALL = ['inbound-webhooks', 'outbound-pipeline', 'entitlement-check', 'agent-turns', 'n8n-executions', 'backup-restore'];
const selected = process.env.BENCH_ONLY ? process.env.BENCH_ONLY.split(',') : ALL;
const failed: string[] = [];
for (const name of ALL.filter((n) => selected.includes(n))) {
  console.log(`\n=== bench/${name}.ts ===`);
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoDir, 'bench', `${name}.ts`)], { cwd: repoDir, stdio: 'inherit' });
  const [code] = (await once(child, 'exit')) as [number | null];
  if (code !== 0) failed.push(name);
}
if (failed.length > 0) {
  console.error(`\nbenchmarks that failed: ${failed.join(', ')}`);
  process.exitCode = 1;
}
