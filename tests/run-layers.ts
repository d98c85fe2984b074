// Runs the test layers in order, streams their output, and ends with one summary line
// ("make test: N passed, N failed, N skipped") that CI and people can read at a glance.
import { spawn } from 'node:child_process';

type Layer = { name: string; command: string; args: string[] };
type Result = { name: string; passed: number; failed: number; skipped: number; exitCode: number; seconds: number; failures: string[] };

/**
 * The first lines of each failure in mocha's "N failing" section ("1) suite\n  test:\n  Error: ..."), so that the
 * end of a long CI log names what failed and why, without scrolling back through the layer's output.
 */
function failureHeadlines(plain: string): string[] {
  const headlines: string[] = [];
  for (const section of plain.split(/^\s*\d+ failing\s*$/m).slice(1)) {
    for (const block of section.split(/^\s{2}(?=\d+\) )/m).slice(1)) {
      const lines = block.split('\n').map((l) => l.trim()).filter(Boolean);
      const errorAt = lines.findIndex((l) => /^(\w*Error|AssertionError|Timeout|expected)/i.test(l));
      const title = lines.slice(0, errorAt > 0 ? errorAt : 2).join(' ');
      const error = errorAt >= 0 ? lines[errorAt] : '';
      headlines.push(`${title} ${error}`.slice(0, 400));
      if (headlines.length >= 20) return headlines;
    }
  }
  return headlines;
}

function runLayer(layer: Layer): Promise<Result> {
  const started = Date.now();
  console.log(`\n\x1b[1m━━ ${layer.name} ━━\x1b[0m  (${[layer.command, ...layer.args].join(' ')})`);
  return new Promise((resolve) => {
    const child = spawn(layer.command, layer.args, { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    let output = '';
    for (const stream of [child.stdout, child.stderr]) {
      stream.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        process.stdout.write(chunk);
      });
    }
    child.on('exit', (code) => {
      // Several summaries in one layer (several runners) are added up.
      // Mocha ("12 passing", "1 failing", "2 pending") and vitest ("Tests  1 failed | 7 passed | 1 skipped (9)").
      // eslint-disable-next-line no-control-regex -- strips ANSI colour codes
      const plain = output.replace(/\x1b\[[0-9;]*m/g, '');
      const vitest = (word: string) =>
        [...plain.matchAll(/^\s*Tests\s+(.*)$/gm)].reduce((n, m) => n + Number(new RegExp(`(\\d+) ${word}`).exec(m[1]!)?.[1] ?? 0), 0);
      const mocha = (re: RegExp) => [...plain.matchAll(re)].reduce((n, m) => n + Number(m[1]), 0);
      const passed = mocha(/^\s*(\d+) passing/gm) + vitest('passed');
      let failed = mocha(/^\s*(\d+) failing/gm) + vitest('failed');
      const skipped = mocha(/^\s*(\d+) pending/gm) + vitest('skipped');
      if ((code ?? 1) !== 0 && failed === 0) failed = 1; // crashed before mocha could count
      const failures = failureHeadlines(plain);
      if (failed > 0 && failures.length === 0) failures.push(`exit code ${code ?? 'none'}; last output: ${plain.trim().split('\n').slice(-3).join(' | ')}`);
      resolve({ name: layer.name, passed, failed, skipped, exitCode: code ?? 1, seconds: (Date.now() - started) / 1000, failures });
    });
  });
}

const wanted = process.argv.slice(2);
const layers: Layer[] = [
  { name: 'unit', command: 'npm', args: ['run', '--silent', 'test:unit'] },
  { name: 'integration', command: 'npm', args: ['run', '--silent', 'test:integration'] },
  { name: 'reliability', command: 'npm', args: ['run', '--silent', 'test:reliability'] },
  { name: 'static', command: 'npm', args: ['run', '--silent', 'test:static'] },
  { name: 'e2e', command: 'npm', args: ['run', '--silent', 'test:e2e'] },
  // Boots docker-compose.yml with `make up` (skipped, and counted as skipped, where no Docker engine runs).
  { name: 'compose', command: 'npm', args: ['run', '--silent', 'test:compose'] },
].filter((l) => wanted.length === 0 || wanted.includes(l.name));

const results: Result[] = [];
for (const layer of layers) results.push(await runLayer(layer));

console.log('\n\x1b[1mSummary\x1b[0m');
for (const r of results) {
  const mark = r.failed > 0 ? '\x1b[31m✗\x1b[0m' : '\x1b[32m✓\x1b[0m';
  console.log(`  ${mark} ${r.name.padEnd(12)} ${String(r.passed).padStart(4)} passed  ${String(r.failed).padStart(3)} failed  ${String(r.skipped).padStart(3)} skipped  ${r.seconds.toFixed(1)} s`);
}
for (const r of results.filter((x) => x.failures.length > 0)) {
  console.log(`\n\x1b[1m${r.name}: what failed\x1b[0m`);
  for (const f of r.failures) console.log(`  - ${f}`);
}
const total = (key: 'passed' | 'failed' | 'skipped') => results.reduce((n, r) => n + r[key], 0);
console.log(`make test: ${total('passed')} passed, ${total('failed')} failed, ${total('skipped')} skipped`);
process.exit(total('failed') > 0 ? 1 : 0);
