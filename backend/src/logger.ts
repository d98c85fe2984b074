import { pino, type Logger } from 'pino';
import type { Config } from './config.js';

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

export function createLogger(config: Pick<Config, 'logLevel'>, name = 'switchboard'): Logger {
  return pino({
    name,
    level: config.logLevel,
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    base: { service: name },
    timestamp: pino.stdTimeFunctions.isoTime,
  });
}
