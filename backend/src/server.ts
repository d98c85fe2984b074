import { once } from 'node:events';
import { createServer } from 'node:http';
import { loadConfig } from './config.js';
import { createContainer } from './container.js';
import { createApiApp } from './http/api-app.js';
import { exitOnStartupError, onShutdown } from './lifecycle.js';
import { metricsAddress, startOptionalMetricsServer } from './metrics/metrics-server.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const container = createContainer(config);
  const app = createApiApp(container);
  const server = createServer(app);
  server.keepAliveTimeout = 65_000; // longer than the proxy's idle timeout, so it never reuses a closed socket
  server.listen(config.http.port, config.http.host);
  await once(server, 'listening');
  container.logger.info({ port: config.http.port, publicUrl: config.publicUrl }, 'switchboard API listening');
  const address = metricsAddress(config.metrics, 'api');
  const metrics = address && (await startOptionalMetricsServer({ ...address, logger: container.logger }));
  onShutdown(container.logger, async () => {
    await metrics?.close();
    server.close();
    server.closeIdleConnections();
    await once(server, 'close');
    await container.close();
  });
}

main().catch(exitOnStartupError);
