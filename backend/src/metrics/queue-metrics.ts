import type Bull from 'bull';
import { Gauge, Registry } from 'prom-client';
import type { Sequelize } from 'sequelize';
import type { Logger } from '../logger.js';
import { readQueueDepths, type QueueDepths } from './queue-depths.js';

export type QueueMetricsDeps = {
  sequelize: Sequelize;
  /** The bull queues this process works (the send queue per channel). */
  bullQueues: () => ReadonlyArray<Bull.Queue>;
  logger: Logger;
};

const BULL_STATES = ['waiting', 'active', 'failed', 'delayed'] as const;
const WHATSAPP_STATES = ['connecting', 'qr', 'open', 'logged_out', 'banned', 'stopped'];

/**
 * Gauges read at scrape time (nothing runs between scrapes): database queue depths and ages, bull job
 * counts, WhatsApp linked-device sessions by state. One database read serves all gauges of a scrape.
 * Served by the worker only, so a dashboard summing over processes does not count them twice.
 */
export function queueMetricsRegistry(deps: QueueMetricsDeps): Registry {
  const registry = new Registry();
  const registers = [registry];
  let reading: Promise<QueueDepths | undefined> | undefined;
  // A scrape collects its gauges concurrently: the first starts the read, the others share it; the next scrape reads afresh.
  const depths = () =>
    (reading ??= readQueueDepths(deps.sequelize)
      .catch((err: unknown) => {
        deps.logger.warn({ err: (err as Error).message }, 'metrics: queue depths could not be read');
        return undefined;
      })
      .finally(() => {
        reading = undefined;
      }));

  new Gauge({
    name: 'switchboard_queue_pending',
    help: 'Items waiting in a database queue (outbox, inbound, agent_turns, event_relay, event_deliveries), all tenants',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const queue of (await depths())?.queues ?? []) this.set({ queue: queue.queue }, queue.pending);
    },
  });
  new Gauge({
    name: 'switchboard_queue_oldest_due_age_seconds',
    help: 'How long the oldest due item of a database queue has waited (0 when none is due)',
    labelNames: ['queue'] as const,
    registers,
    async collect() {
      this.reset();
      for (const queue of (await depths())?.queues ?? []) this.set({ queue: queue.queue }, queue.oldestDueSeconds);
    },
  });
  new Gauge({
    name: 'switchboard_whatsapp_sessions',
    help: 'WhatsApp linked-device sessions by state (open, qr, connecting, logged_out, banned, stopped)',
    labelNames: ['state'] as const,
    registers,
    async collect() {
      const found = await depths();
      this.reset();
      if (!found) return;
      // Every state is reported (0 when none), so an alert on banned or logged_out sees a series.
      for (const state of WHATSAPP_STATES) this.set({ state }, found.whatsappSessions.find((s) => s.state === state)?.sessions ?? 0);
    },
  });
  new Gauge({
    name: 'switchboard_bull_jobs',
    help: 'Jobs in a bull queue by state (waiting, active, failed, delayed)',
    labelNames: ['queue', 'state'] as const,
    registers,
    async collect() {
      this.reset();
      await Promise.all(deps.bullQueues().map(async (queue) => {
        try {
          const counts = await queue.getJobCounts();
          for (const state of BULL_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
        } catch (err) {
          deps.logger.warn({ queue: queue.name, err: (err as Error).message }, 'metrics: bull job counts could not be read');
        }
      }));
    },
  });
  return registry;
}
