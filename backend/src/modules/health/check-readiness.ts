// A dependency the API needs in order to serve traffic; `probe` rejects when it is not reachable.
export type DependencyProbe = { name: string; probe: (signal: AbortSignal) => Promise<void> };

export type DependencyStatus = { ok: boolean; latencyMs: number; error?: string };
export type Readiness = { status: 'ok' | 'unavailable'; checks: Record<string, DependencyStatus> };

async function runProbe(dependency: DependencyProbe, timeoutMs: number): Promise<DependencyStatus> {
  const started = performance.now();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    await Promise.race([dependency.probe(controller.signal), timeout]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, latencyMs: Math.round(performance.now() - started), error: message };
  } finally {
    clearTimeout(timer);
  }
}

export async function checkReadiness(dependencies: DependencyProbe[], timeoutMs: number): Promise<Readiness> {
  const results = await Promise.all(dependencies.map((d) => runProbe(d, timeoutMs)));
  const checks = Object.fromEntries(dependencies.map((d, i) => [d.name, results[i]!]));
  return { status: results.every((r) => r.ok) ? 'ok' : 'unavailable', checks };
}
