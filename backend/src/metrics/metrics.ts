import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

/**
 * The process's own Prometheus metrics (counters and histograms recorded where things happen). Gauges
 * read at scrape time live beside the server that owns their sources (queue-metrics.ts). Every name
 * starts with switchboard_; docs/metrics.md lists them and the shipped Grafana dashboard uses them.
 */
export const metricsRegistry = new Registry();

const registers = [metricsRegistry];

export const httpRequestDuration = new Histogram({
  name: 'switchboard_http_request_duration_seconds',
  help: 'HTTP request latency by method, route template (never a raw id) and status class (2xx, 4xx, ...)',
  labelNames: ['method', 'route', 'status_class'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers,
});

export const messagesSent = new Counter({
  name: 'switchboard_messages_sent_total',
  help: 'Messages a provider accepted, by channel and provider',
  labelNames: ['channel', 'provider'] as const,
  registers,
});

export const messageSendFailures = new Counter({
  name: 'switchboard_message_send_failures_total',
  help: 'Failed send attempts by channel, provider and provider error code; outcome: retry, unknown (checked before any resend), failed or dead (final)',
  labelNames: ['channel', 'provider', 'code', 'outcome'] as const,
  registers,
});

export const webhookSignatureFailures = new Counter({
  name: 'switchboard_webhook_signature_failures_total',
  help: 'Provider webhooks refused (403) because the signature, secret token or verify token did not check out',
  labelNames: ['provider'] as const,
  registers,
});

export const llmRequestDuration = new Histogram({
  name: 'switchboard_llm_request_duration_seconds',
  help: 'One LLM call (one try, retries are separate calls) by provider host, model and outcome (ok or the failure reason)',
  labelNames: ['provider', 'model', 'outcome'] as const,
  buckets: [0.25, 0.5, 1, 2, 4, 8, 15, 30, 60],
  registers,
});

export const llmErrors = new Counter({
  name: 'switchboard_llm_errors_total',
  help: 'Failed LLM calls by provider host, model and reason (rate_limited, unavailable, timeout, invalid_key, bad_request)',
  labelNames: ['provider', 'model', 'reason'] as const,
  registers,
});

export const llmTokens = new Counter({
  name: 'switchboard_llm_tokens_total',
  help: 'Tokens the LLM reported, by provider host, model and type (prompt or completion)',
  labelNames: ['provider', 'model', 'type'] as const,
  registers,
});

export const eventDeliveryFailures = new Counter({
  name: 'switchboard_event_delivery_failures_total',
  help: 'Event-bus webhook deliveries (n8n subscriptions) that failed, by outcome (retry or failed for good)',
  labelNames: ['outcome'] as const,
  registers,
});

export const eventHandlerFailures = new Counter({
  name: 'switchboard_event_handler_failures_total',
  help: 'Internal event handlers that threw (the event is dispatched again later)',
  labelNames: ['type'] as const,
  registers,
});

let defaultsCollected = false;

/** Node's process metrics (CPU, memory, event loop lag, GC) with our prefix; once per process. */
export function collectProcessMetrics(): void {
  if (defaultsCollected) return;
  defaultsCollected = true;
  collectDefaultMetrics({ register: metricsRegistry, prefix: 'switchboard_' });
}
