import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';
import { currentLogContext } from './log-context.js';

export type { Logger };

// Secrets and personal data never reach the logs, wherever they sit in a logged object.
export const REDACTED_PATHS = [
  'password',
  '*.password',
  '*.passwordHash',
  'token',
  '*.token',
  '*.secret',
  '*.apiKey',
  'authToken',
  '*.authToken',
  // Provider credentials (TwilioCredentials and friends) as a whole, wherever they are passed around.
  'credentials',
  '*.credentials',
  '*.secretCiphertext',
  '*.email',
  '*.phone',
  '*.body.password',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-twilio-signature"]',
  'res.headers["set-cookie"]',
];

/** `destination`: stdout unless given (tests capture the lines). */
export function createLogger(config: Pick<Config, 'logLevel'>, name = 'switchboard', destination?: DestinationStream): Logger {
  const options = {
    name,
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
    // requestId or job/jobId, tenantId and agencyId of the work in progress (log-context.ts) on every line;
    // fields the call itself passes win.
    mixin: () => currentLogContext(),
  };
  return destination ? pino(options, destination) : pino(options);
}
