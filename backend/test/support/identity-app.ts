import type { Express } from 'express';
import type { Sequelize } from 'sequelize';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { createApiApp } from '../../src/http/api-app.js';
import type { MailPort } from '../../src/ports/mail.js';
import { superuserSequelize } from './accounts-world.js';
import { validEnv } from './env.js';
import { InMemoryMail } from './in-memory-mail.js';
import { providerFakeEnv } from './provider-fakes.js';
import { testDatabase } from './integration-hooks.js';
import { TEST_REDIS_URL } from './test-database.js';

/** The production app (as src/server.ts builds it) as the API role, Redis, an in-memory mailbox, and a superuser connection for arranging data. */
export type IdentityApp = { app: Express; container: Container; mail: InMemoryMail; db: Sequelize; close: () => Promise<void> };

export function startIdentityApp(env: Record<string, string> = {}, options: { mail?: MailPort | null } = {}): IdentityApp {
  const container = createContainer(loadConfig(validEnv({ DATABASE_URL: testDatabase().appUrl, REDIS_URL: TEST_REDIS_URL, ...providerFakeEnv(), ...env })));
  const mail = new InMemoryMail();
  if (options.mail !== null) container.mail = options.mail ?? mail;
  const app = createApiApp(container);
  const db = superuserSequelize();
  return {
    app,
    container,
    mail,
    db,
    close: async () => {
      await container.close();
      await db.close();
    },
  };
}
