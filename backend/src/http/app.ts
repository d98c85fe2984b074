import { randomUUID } from 'node:crypto';
import express, { type Express, type Router } from 'express';
import { pinoHttp } from 'pino-http';
import { runWithLogContext } from '../log-context.js';
import type { Logger } from '../logger.js';
import { httpMetrics } from '../metrics/http-metrics.js';
import { trustedClientAddress } from './client-address.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { assertJsonDepth } from './json-depth.js';
import { securityHeaders } from './security-headers.js';

export type AppOptions = {
  logger: Logger;
  routers: Router[];
  /**
   * Peers whose X-Forwarded-For/-Proto are believed (TRUSTED_PROXIES: addresses, CIDRs, or loopback,
   * linklocal, uniquelocal); default loopback. Anyone else's forwarding headers are ignored.
   */
  trustedProxies?: string[];
  /** CLIENT_ADDRESS_SECRET: lets the portal vouch for its visitors' addresses (http/client-address.ts). */
  clientAddressSecret?: string;
  bodyLimit?: string;
};

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request body exactly as received (JSON requests only), for provider signature checks. */
export function rawBodyOf(req: express.Request): Buffer | undefined {
  return (req as express.Request & { rawBody?: Buffer }).rawBody;
}

/** Runs on the raw bytes before JSON.parse: too deep a body is a 400 before any recursive code sees it. */
function checkAndKeepRawBody(req: unknown, _res: unknown, buf: Buffer, charset: string): void {
  assertJsonDepth(buf, charset);
  (req as { rawBody?: Buffer }).rawBody = buf;
}

/** Builds the Express app without listening, so tests can mount it and servers can choose a port. */
export function createApp(options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(securityHeaders);
  app.use(httpMetrics);
  const trustedProxies = options.trustedProxies ?? ['loopback'];
  app.set('trust proxy', trustedProxies.length > 0 ? trustedProxies : false);
  app.use(trustedClientAddress({ secret: options.clientAddressSecret, logger: options.logger }));
  app.use(
    pinoHttp({
      logger: options.logger,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
      autoLogging: { ignore: (req) => req.url === '/healthz' },
    }),
  );
  // The raw bytes stay on the request: providers sign them (Stripe-Signature, X-Hub-Signature-256), not our parse.
  app.use(express.json({ limit: options.bodyLimit ?? '256kb', verify: checkAndKeepRawBody }));
  app.use(express.urlencoded({ extended: false, limit: options.bodyLimit ?? '256kb' }));
  // From here on every log line carries the request id (authentication adds the tenant). Entered after the
  // body parsers: they resume from stream events, outside any context entered before them.
  app.use((req, _res, next) => runWithLogContext({ requestId: String(req.id) }, next));
  for (const router of options.routers) app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(options.logger));
  return app;
}
