// Webhook delivery as Stripe does it: asynchronous, one POST per event and endpoint, signed with the
// endpoint's secret at sending time, retried on a non-2xx answer or a network error. Each endpoint gets
// its events one after another in the order they happened, unless a test holds them and releases them
// in an order it chooses. Every attempt is recorded so tests can assert on it and replay an event.
import type { StripeEvent } from './webhooks.js';
import { stripeSignature } from './webhooks.js';

export type DeliveryTarget = { id: string; url: string; secret: string };
export type Delivery = { eventId: string; type: string; endpointId: string; url: string; attempt: number; status?: number; error?: string };
type Job = { event: StripeEvent; targets: DeliveryTarget[] };

export class WebhookDeliveries {
  /** Waits before each retry; a delivery still failing after the last one is given up. */
  retryDelaysMs = [20, 100, 300];
  readonly log: Delivery[] = [];
  private held: Job[] | undefined;
  private readonly chains = new Map<string, Promise<void>>();
  private readonly running = new Set<Promise<void>>();
  private readonly timers = new Set<NodeJS.Timeout>();

  send(event: StripeEvent, targets: DeliveryTarget[]): void {
    if (targets.length === 0) return;
    if (this.held) this.held.push({ event, targets });
    else for (const target of targets) this.enqueue(event, target);
  }

  /** Sends an event again now (Stripe's "Resend"), held or not: same id and body, a fresh signature. */
  resend(event: StripeEvent, targets: DeliveryTarget[]): void {
    for (const target of targets) this.enqueue(event, target);
  }

  /** From now on events wait until `release`. */
  hold(): void {
    this.held ??= [];
  }

  /** Delivers the held events in `order(events)` (default: as they happened), each answered before the next, then stops holding. */
  async release(order: (events: StripeEvent[]) => StripeEvent[] = (events) => events): Promise<void> {
    const jobs = this.held ?? [];
    this.held = undefined;
    const byId = new Map(jobs.map((job) => [job.event.id, job]));
    for (const event of order(jobs.map((job) => job.event))) {
      const job = byId.get(event.id);
      if (!job) throw new Error(`event ${event.id} was not held`);
      await Promise.all(job.targets.map((target) => this.attempt(event, target, 1)));
    }
  }

  get heldEvents(): StripeEvent[] {
    return (this.held ?? []).map((job) => job.event);
  }

  /** Resolves when every delivery started so far (retries included) has finished. */
  async settled(): Promise<void> {
    while (this.running.size > 0 || this.timers.size > 0) {
      if (this.running.size > 0) await Promise.allSettled([...this.running]);
      else await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  stop(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.held = undefined;
  }

  reset(): void {
    this.stop();
    this.log.length = 0;
  }

  private enqueue(event: StripeEvent, target: DeliveryTarget, attempt = 1): void {
    const previous = this.chains.get(target.id) ?? Promise.resolve();
    const next = previous.then(() => this.attempt(event, target, attempt));
    this.chains.set(target.id, next);
    this.track(next);
  }

  private track(work: Promise<void>): void {
    this.running.add(work);
    void work.finally(() => this.running.delete(work));
  }

  private async attempt(event: StripeEvent, target: DeliveryTarget, attempt: number): Promise<void> {
    const delivery: Delivery = { eventId: event.id, type: event.type, endpointId: target.id, url: target.url, attempt };
    this.log.push(delivery);
    const payload = JSON.stringify(event, null, 2);
    try {
      const res = await fetch(target.url, {
        method: 'POST', body: payload, signal: AbortSignal.timeout(5000),
        headers: { 'content-type': 'application/json; charset=utf-8', 'stripe-signature': stripeSignature(payload, target.secret), 'user-agent': 'Stripe/1.0 (+https://stripe.com/docs/webhooks)' },
      });
      delivery.status = res.status;
      await res.arrayBuffer();
      if (res.ok) return;
    } catch (err) {
      delivery.error = String(err);
    }
    this.retryLater(event, target, attempt);
  }

  private retryLater(event: StripeEvent, target: DeliveryTarget, attempt: number): void {
    const delay = this.retryDelaysMs[attempt - 1];
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.track(this.attempt(event, target, attempt + 1));
    }, delay);
    this.timers.add(timer);
  }
}
