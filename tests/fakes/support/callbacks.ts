// Outgoing callbacks (delivery receipts, call progress) from a provider fake to the app under test.
// Providers address callbacks to the PUBLIC url they were given; in tests that host does not resolve,
// so `deliverTo` swaps the origin while the provider still signs the public URL (the proxy case).
export type CallbackDelivery = {
  at: string;
  /** The URL the provider was given (and signs). */
  url: string;
  /** Where it was actually posted. */
  deliveredTo: string;
  params: Record<string, string>;
  status?: number;
  error?: string;
};

export class CallbackSender {
  /** Base URL (scheme://host:port) replacing the callback URL's origin; undefined posts to the URL as is. */
  deliverTo: string | undefined;
  /** When false, callbacks are recorded as skipped and never posted. */
  enabled = true;
  readonly deliveries: CallbackDelivery[] = [];
  private readonly inflight = new Set<Promise<void>>();

  constructor(deliverTo?: string) {
    this.deliverTo = deliverTo;
  }

  /** Posts form-encoded params; never throws (failures are recorded on the delivery). */
  post(url: string, params: Record<string, string>, headers: Record<string, string> = {}): Promise<void> {
    const target = this.rewrite(url);
    const delivery: CallbackDelivery = { at: new Date().toISOString(), url, deliveredTo: target, params };
    this.deliveries.push(delivery);
    if (!this.enabled) {
      delivery.error = 'callbacks disabled';
      return Promise.resolve();
    }
    const work = fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(params).toString(),
    })
      .then(async (res) => {
        delivery.status = res.status;
        await res.arrayBuffer();
      })
      .catch((err: unknown) => {
        delivery.error = String(err);
      })
      .finally(() => this.inflight.delete(work));
    this.inflight.add(work);
    return work;
  }

  /** Resolves once every callback posted so far has been answered (or failed). */
  async settled(): Promise<void> {
    while (this.inflight.size > 0) await Promise.allSettled([...this.inflight]);
  }

  reset(): void {
    this.deliveries.length = 0;
  }

  private rewrite(url: string): string {
    if (!this.deliverTo) return url;
    const original = new URL(url);
    const base = new URL(this.deliverTo);
    original.protocol = base.protocol;
    original.host = base.host;
    return original.toString();
  }
}
