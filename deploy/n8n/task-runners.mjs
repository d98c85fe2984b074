// n8n's JavaScript task runners in external mode (the supported way since n8n 2.x), for every n8n process that
// executes workflows: each queue worker (and n8n main, when it runs executions itself) runs a task broker (port
// 5679), and Code nodes run in a runner connected to the broker of the process executing the workflow.
//
// n8n ships the runner itself (@n8n/task-runner, inside the n8n package) and expects a launcher to start it:
// n8n's own is a Go binary in the n8nio/runners image, which cannot be pulled or built here. This launcher does
// the same job in plain Node (it runs in the n8n image, which has node but no TypeScript loader):
//   - SB_RUNNER_BROKERS="n8n-worker:5679": each host name is resolved to ALL its addresses every
//     few seconds, so `docker compose --scale n8n-worker=3` (N8N_WORKERS) gets one runner per replica
//     without pairing a sidecar to each one;
//   - per broker address: fetch a one-time grant token with the shared auth token (POST /runners/auth), start
//     `node @n8n/task-runner/start` with only the runner's own settings in its environment (no database or
//     encryption secrets), restart it with back-off when it exits, stop it when the address disappears;
//   - GET :5680/healthz answers 200 while every broker found has a running runner (the container healthcheck).
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { existsSync, realpathSync } from 'node:fs';
import { dirname, join } from 'node:path';

const env = process.env;
const authToken = env.N8N_RUNNERS_AUTH_TOKEN;
if (!authToken) fail('N8N_RUNNERS_AUTH_TOKEN is not set (the same value as the n8n services)');
const brokers = (env.SB_RUNNER_BROKERS ?? '127.0.0.1:5679').split(',').map((entry) => entry.trim()).filter(Boolean);
const discoverEveryMs = Number(env.SB_RUNNER_DISCOVER_INTERVAL_MS ?? 5000);
const healthPort = Number(env.SB_RUNNER_HEALTH_PORT ?? 5680);
const startScript = findStartScript();
/** What n8n itself passes to a runner it starts (task-runner-process-js.ts), and nothing else. */
const PASSED = ['PATH', 'HOME', 'NODE_PATH', 'GENERIC_TIMEZONE', 'NODE_FUNCTION_ALLOW_BUILTIN', 'NODE_FUNCTION_ALLOW_EXTERNAL',
  'N8N_RUNNERS_MAX_PAYLOAD', 'N8N_RUNNERS_MAX_CONCURRENCY', 'N8N_RUNNERS_TASK_TIMEOUT', 'N8N_RUNNERS_HEARTBEAT_INTERVAL',
  'N8N_RUNNERS_AUTO_SHUTDOWN_TIMEOUT', 'N8N_RUNNERS_GRACEFUL_SHUTDOWN_TIMEOUT', 'N8N_RUNNERS_SHUTDOWN_FORCE_KILL_MARGIN'];

/** @type {Map<string, { child?: import('node:child_process').ChildProcess, wanted: boolean, failures: number, since?: number }>} */
const runners = new Map();
let stopping = false;

function fail(message) {
  log('error', message);
  process.exit(1);
}

function log(level, msg, fields = {}) {
  process.stdout.write(`${JSON.stringify({ level, time: new Date().toISOString(), service: 'n8n-runners', msg, ...fields })}\n`);
}

function findStartScript() {
  if (env.SB_TASK_RUNNER_START) return env.SB_TASK_RUNNER_START;
  // The runner ships inside the n8n package: find it from the `n8n` command on PATH (…/n8n/bin/n8n, however it is
  // linked: a global install in n8n's image, node_modules/.bin in the stand-in and the native stack).
  const onPath = (env.PATH ?? '').split(':').map((dir) => join(dir, 'n8n')).find((file) => existsSync(file));
  const candidates = [env.N8N_PACKAGE_DIR, onPath && dirname(dirname(realpathSync(onPath)))].filter(Boolean);
  for (const dir of candidates) {
    try {
      return createRequire(join(dir, 'package.json')).resolve('@n8n/task-runner/start');
    } catch { /* try the next place */ }
  }
  return fail(`@n8n/task-runner was not found next to n8n (looked in: ${candidates.join(', ') || 'no n8n on PATH'}); set SB_TASK_RUNNER_START`);
}

async function grantToken(broker) {
  const res = await fetch(`http://${broker}/runners/auth`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token: authToken }), signal: AbortSignal.timeout(5000),
  });
  if (!res.ok) throw new Error(`the broker at ${broker} refused the auth token (HTTP ${res.status})`);
  return (await res.json()).data.token;
}

async function startRunner(broker) {
  const state = runners.get(broker);
  if (!state || !state.wanted || state.child || stopping) return;
  let token;
  try {
    token = await grantToken(broker);
  } catch (err) {
    state.failures += 1;
    log('warn', 'task broker not ready, retrying', { broker, error: err.message });
    setTimeout(() => void startRunner(broker), backoff(state.failures));
    return;
  }
  const runnerEnv = Object.fromEntries(PASSED.filter((name) => env[name] !== undefined).map((name) => [name, env[name]]));
  const flags = env.N8N_RUNNERS_INSECURE_MODE === 'true' ? [] : ['--disallow-code-generation-from-strings', '--disable-proto=delete'];
  const child = spawn(process.execPath, [...flags, startScript], {
    // A unique id per runner: the broker evicts a runner that registers under an id another live runner holds.
    env: { ...runnerEnv, N8N_RUNNERS_ID: `sb-${randomBytes(6).toString('hex')}`, N8N_RUNNERS_GRANT_TOKEN: token, N8N_RUNNERS_TASK_BROKER_URI: `http://${broker}` },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  state.child = child;
  state.since = Date.now();
  log('info', 'task runner started', { broker, pid: child.pid });
  child.on('exit', (code, signal) => {
    state.child = undefined;
    // A runner that lived a minute was healthy: start the back-off again from the beginning.
    state.failures = Date.now() - (state.since ?? 0) > 60_000 ? 1 : state.failures + 1;
    if (!state.wanted || stopping) return;
    log('warn', 'task runner exited, restarting', { broker, code, signal });
    setTimeout(() => void startRunner(broker), backoff(state.failures));
  });
}

function backoff(failures) {
  return Math.min(30_000, 500 * 2 ** Math.min(failures, 6));
}

async function discover() {
  const found = new Set();
  for (const entry of brokers) {
    const [host, port = '5679'] = entry.split(':');
    try {
      for (const { address } of await lookup(host, { all: true, family: 4 })) found.add(`${address}:${port}`);
    } catch {
      // A scaled-to-zero service or one not started yet has no address: nothing to run for it.
    }
  }
  for (const broker of found) {
    if (!runners.has(broker)) {
      runners.set(broker, { wanted: true, failures: 0 });
      void startRunner(broker);
    }
  }
  for (const [broker, state] of runners) {
    if (found.has(broker)) continue;
    state.wanted = false;
    state.child?.kill('SIGTERM');
    runners.delete(broker);
    log('info', 'task broker gone, runner stopped', { broker });
  }
}

const health = createServer((req, res) => {
  const list = [...runners].map(([broker, state]) => ({ broker, running: !!state.child }));
  const ok = list.length > 0 && list.every((runner) => runner.running);
  res.writeHead(req.url === '/healthz' ? (ok ? 200 : 503) : 404, { 'content-type': 'application/json' });
  res.end(JSON.stringify({ status: ok ? 'ok' : 'starting', runners: list }));
});

function shutdown() {
  if (stopping) return;
  stopping = true;
  const children = [...runners.values()].map((state) => state.child).filter(Boolean);
  for (const child of children) child.kill('SIGTERM');
  health.close();
  // The runners finish their tasks first (their own graceful shutdown); exit once all are gone.
  const exitWhenDone = () => (children.every((child) => child.exitCode !== null || child.signalCode !== null) ? process.exit(0) : setTimeout(exitWhenDone, 200));
  exitWhenDone();
}

process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
health.listen(healthPort, '0.0.0.0');
log('info', 'launcher started', { brokers, startScript });
await discover();
setInterval(() => void discover(), discoverEveryMs).unref();
