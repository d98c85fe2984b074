import type { RunScopedStatement } from '../../db/tenant-scope.js';
import type { InboundMessage } from '../messages/receive-inbound.js';
import { insertQueuedInboundBatchStatement } from './inbound-queue-repository.js';

type Pending = { inbound: InboundMessage; resolve: (queued: boolean) => void; reject: (err: unknown) => void };

/**
 * Group commit for webhook acknowledgements: deliveries arriving within `windowMs` of each other (or up
 * to `maxBatch` of them) are stored by one multi-row insert per tenant, so a burst costs one round trip
 * and one WAL flush per batch instead of per message. Each caller still answers its provider only after
 * its own row is committed; a failed batch fails every caller in it (the provider retries them).
 */
export class InboundBatcher {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly runScopedStatement: RunScopedStatement,
    private readonly options: { windowMs: number; maxBatch: number } = { windowMs: 2, maxBatch: 200 },
  ) {}

  /** Resolves once stored: true when new, false when the provider already delivered this message id. */
  add(inbound: InboundMessage): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.pending.push({ inbound, resolve, reject });
      if (this.pending.length >= this.options.maxBatch) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.options.windowMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    const byTenant = new Map<string, Pending[]>();
    for (const item of batch) byTenant.set(item.inbound.tenantId, [...(byTenant.get(item.inbound.tenantId) ?? []), item]);
    for (const items of byTenant.values()) void this.store(items);
  }

  private async store(items: Pending[]): Promise<void> {
    const { agencyId, tenantId } = items[0]!.inbound;
    try {
      const { sql, replacements } = insertQueuedInboundBatchStatement(items.map((item) => item.inbound));
      const rows = await this.runScopedStatement<{ provider: string; provider_message_id: string }>({ agencyId, tenantId }, sql, replacements);
      const inserted = new Set(rows.map((row) => `${row.provider}:${row.provider_message_id}`));
      for (const item of items) {
        const key = `${item.inbound.provider}:${item.inbound.providerMessageId}`;
        // The same delivery twice in one batch: the first caller stored it, the second is the retry.
        item.resolve(inserted.delete(key));
      }
    } catch (err) {
      for (const item of items) item.reject(err);
    }
  }
}
