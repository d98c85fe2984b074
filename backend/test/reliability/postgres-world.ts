import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TwilioWebhook, TwilioWebhookSender } from '../../../tests/fakes/twilio/index.js';
import { loadConfig } from '../../src/config.js';
import { createContainer, type Container } from '../../src/container.js';
import { createApiApp } from '../../src/http/api-app.js';

// Helpers for the PostgreSQL outage runs: polling that outlives the outage, the API as served, Twilio's retries.

/** Like `eventually`, but a check that throws (the test's own connection while the database is away) just tries again. */
export async function whenReachable<T>(check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 200): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms${lastError ? ` (last error: ${(lastError as Error).message})` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The API app exactly as src/server.ts serves it, on a real port that is also its PUBLIC_URL (Twilio signs that URL). */
export class ServedApi {
  private constructor(
    readonly url: string,
    readonly container: Container,
    private readonly server: Server,
  ) {}

  static async start(env: (publicUrl: string) => NodeJS.ProcessEnv): Promise<ServedApi> {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const container = createContainer(loadConfig(env(url)));
    server.on('request', createApiApp(container));
    return new ServedApi(url, container, server);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    await this.container.close();
  }
}

export type Answer = { status: number; retryAfter: string | null; ms: number; at: number };

/**
 * Twilio delivering one inbound SMS: posted until acknowledged with a 2xx (Twilio retries a 5xx and a timeout, not a 4xx), waiting
 * Retry-After between tries; every answer is recorded. A request that takes over `timeoutMs` is recorded
 * as status 0 (Twilio gives up on a webhook after 15 s) and retried.
 */
export async function deliverUntilAcknowledged(twilio: TwilioWebhookSender, webhook: TwilioWebhook, answers: Answer[], timeoutMs = 15_000): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const started = Date.now();
    let answer: Answer;
    try {
      const res = await fetch(`${twilio.options.deliverTo}${webhook.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'user-agent': 'TwilioProxy/1.1', 'x-twilio-signature': webhook.signature },
        body: new URLSearchParams(webhook.params).toString(),
        signal: AbortSignal.timeout(timeoutMs),
      });
      await res.arrayBuffer();
      answer = { status: res.status, retryAfter: res.headers.get('retry-after'), ms: Date.now() - started, at: Date.now() };
    } catch {
      answer = { status: 0, retryAfter: null, ms: Date.now() - started, at: Date.now() };
    }
    answers.push(answer);
    if (answer.status >= 200 && answer.status < 300) return;
    if (answer.status >= 400 && answer.status < 500) return; // Twilio does not retry a 4xx (the test fails on it)
    await sleep(Math.max(200, Number(answer.retryAfter ?? 1) * 1000));
  }
  throw new Error(`inbound ${webhook.params.MessageSid} never acknowledged`);
}

/** Runs `work` over the items, `concurrency` at a time, each started no sooner than `gapMs` after the previous. */
export async function paced<T>(items: readonly T[], concurrency: number, gapMs: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let lastStart = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++]!;
      const wait = lastStart + gapMs - Date.now();
      lastStart = Math.max(Date.now(), lastStart + gapMs);
      if (wait > 0) await sleep(wait);
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
}
