// Runs N copies of the real API (backend/src/server.ts) behind node:cluster, sharing one port: the
// configuration to compare with a single process. Started as `node --import tsx bench/support/cluster-server.ts`.
import cluster from 'node:cluster';
import { join } from 'node:path';
import { backendDir } from './processes.js';

const workers = Number(process.env.BENCH_CLUSTER_WORKERS ?? 2);
cluster.setupPrimary({ exec: join(backendDir, 'src', 'server.ts'), execArgv: ['--import', 'tsx'] });
for (let i = 0; i < workers; i += 1) cluster.fork();
let stopping = false;
cluster.on('exit', (worker, code) => {
  if (!stopping) {
    console.error(`API worker ${worker.process.pid} exited (${code}); stopping the cluster`);
    process.exit(1);
  }
});
process.once('SIGTERM', () => {
  stopping = true;
  for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGTERM');
  const check = setInterval(() => {
    if (Object.keys(cluster.workers ?? {}).length === 0) {
      clearInterval(check);
      process.exit(0);
    }
  }, 50);
});
