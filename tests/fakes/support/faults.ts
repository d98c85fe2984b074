// Fault switches shared by every provider fake (Twilio now; Telegram and WhatsApp next): each switch
// applies to the next N requests the fake considers "faultable" (sends, calls), in the order set.
export type FaultSpec =
  /** Answer with an error status (and the provider's error body for `code`). */
  | { kind: 'fail'; status: number; code?: number | string; message?: string }
  /** Never answer and store nothing: the client times out. */
  | { kind: 'timeout' }
  /** 429 with Retry-After (seconds). */
  | { kind: 'rate_limit'; retryAfterSeconds: number }
  /** Do the work (store the message, fire callbacks) but never answer the HTTP request. */
  | { kind: 'accept_then_hang' };

type Pending = { fault: FaultSpec; remaining: number };

export class FaultSwitches {
  /** Delay before every answer (all requests, including reads). */
  latencyMs = 0;
  private readonly pending: Pending[] = [];

  /** Queues `fault` for the next `count` faultable requests. */
  next(count: number, fault: FaultSpec): this {
    if (count > 0) this.pending.push({ fault, remaining: count });
    return this;
  }

  failNext(count: number, options: { status?: number; code?: number | string; message?: string } = {}): this {
    return this.next(count, { kind: 'fail', status: options.status ?? 500, code: options.code, message: options.message });
  }

  timeoutNext(count = 1): this {
    return this.next(count, { kind: 'timeout' });
  }

  rateLimitNext(count = 1, retryAfterSeconds = 1): this {
    return this.next(count, { kind: 'rate_limit', retryAfterSeconds });
  }

  acceptThenHangNext(count = 1): this {
    return this.next(count, { kind: 'accept_then_hang' });
  }

  /** Takes the fault for the current request, if any. */
  take(): FaultSpec | undefined {
    const head = this.pending[0];
    if (!head) return undefined;
    head.remaining -= 1;
    if (head.remaining <= 0) this.pending.shift();
    return head.fault;
  }

  get queued(): readonly Pending[] {
    return this.pending;
  }

  reset(): void {
    this.pending.length = 0;
    this.latencyMs = 0;
  }
}

/** Parses a fault from the control endpoint's JSON ({ kind, count, ... }). */
export function faultFromJson(input: Record<string, unknown>): { count: number; fault: FaultSpec } {
  const count = Number(input.count ?? 1);
  switch (input.kind) {
    case 'fail':
      return { count, fault: { kind: 'fail', status: Number(input.status ?? 500), code: input.code as number | undefined, message: input.message as string | undefined } };
    case 'timeout':
      return { count, fault: { kind: 'timeout' } };
    case 'rate_limit':
      return { count, fault: { kind: 'rate_limit', retryAfterSeconds: Number(input.retryAfterSeconds ?? 1) } };
    case 'accept_then_hang':
      return { count, fault: { kind: 'accept_then_hang' } };
    default:
      throw new Error(`unknown fault kind ${String(input.kind)}`);
  }
}
