import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Registry } from 'prom-client';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { collectProcessMetrics, metricsRegistry } from './metrics.js';

export type MetricsServer = { port: number; close(): Promise<void> };

export type MetricsServerOptions = {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  logger: Logger;
  /** Registries with this process's scrape-time gauges (the worker's queue metrics). */
  extra?: Registry[];
};

/**
 * GET /metrics in Prometheus' text format, on its own port: never mounted on the API app, so Caddy
 * cannot route to it and the public never reaches it (compose binds it on the internal network only).
 */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  collectProcessMetrics();
  const registries = [metricsRegistry, ...(options.extra ?? [])];
  const server: Server = createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found: GET /metrics\n');
      return;
    }
    const merged = registries.length === 1 ? metricsRegistry : Registry.merge(registries);
    merged.metrics().then(
      (text) => res.writeHead(200, { 'content-type': merged.contentType }).end(text),
      (err: unknown) => {
        options.logger.warn({ err: (err as Error).message }, 'metrics scrape failed');
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics unavailable\n');
      },
    );
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    port,
    async close() {
      server.close();
      server.closeAllConnections();
      await once(server, 'close').catch(() => undefined);
    },
  };
}

/**
 * Metrics are an extra: a port already taken (a second process on one machine) is logged and the
 * process runs on without them instead of failing to start.
 */
export async function startOptionalMetricsServer(options: MetricsServerOptions): Promise<MetricsServer | undefined> {
  try {
    const server = await startMetricsServer(options);
    options.logger.info({ host: options.host, port: server.port }, 'metrics on GET /metrics');
    return server;
  } catch (err) {
    options.logger.warn({ host: options.host, port: options.port, err: (err as Error).message }, 'metrics server not started; running without metrics');
    return undefined;
  }
}

/** Where a process serves its metrics: METRICS_PORT, else 9464 (API) or 9465 (worker); undefined when METRICS_PORT=0. */
export function metricsAddress(config: Config['metrics'], process: 'api' | 'worker'): { host: string; port: number } | undefined {
  const port = config.port ?? (process === 'api' ? 9464 : 9465);
  return port === 0 ? undefined : { host: config.host, port };
}
