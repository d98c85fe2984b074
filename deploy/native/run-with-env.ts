// Runs a backend CLI (migrate, seed, audit-verify) with the native dev stack's environment.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { defaultStackOptions, stackEnvironment } from './stack.js';
import { repoRoot } from './tools.js';

const [script, ...args] = process.argv.slice(2);
if (!script) {
  console.error('usage: run-with-env.ts <backend cli script> [args…]');
  process.exit(2);
}
const { backendEnv, path } = stackEnvironment(defaultStackOptions());
try {
  execFileSync(join(repoRoot, 'node_modules', '.bin', 'tsx'), [script, ...args], {
    cwd: repoRoot,
    env: { ...process.env, PATH: path, ...backendEnv },
    stdio: 'inherit',
  });
} catch {
  process.exit(1);
}
