// Delayed work a fake does after answering (status progressions). `idle()` lets a test wait until
// everything scheduled so far has run; `cancel()` stops it all when the fake closes.
export class Scheduler {
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly running = new Set<Promise<unknown>>();

  later(ms: number, work: () => Promise<unknown> | unknown): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      const run = Promise.resolve()
        .then(work)
        .catch(() => undefined)
        .finally(() => this.running.delete(run));
      this.running.add(run);
    }, ms);
    this.timers.add(timer);
  }

  async idle(): Promise<void> {
    while (this.timers.size > 0 || this.running.size > 0) {
      if (this.running.size > 0) await Promise.allSettled([...this.running]);
      else await new Promise((resolve) => setTimeout(resolve, 2));
    }
  }

  cancel(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}
