import { expect } from 'chai';
import { checkReadiness } from '../../src/modules/health/check-readiness.js';

describe('checkReadiness', () => {
  it('when every dependency answers, then the status is ok with a latency per dependency', async () => {
    const result = await checkReadiness([{ name: 'postgres', probe: async () => undefined }], 100);
    expect(result.status).to.equal('ok');
    expect(result.checks.postgres).to.include({ ok: true });
    expect(result.checks.postgres!.latencyMs).to.be.a('number');
  });

  it('when one dependency fails, then the status is unavailable and names the failure', async () => {
    const result = await checkReadiness(
      [
        { name: 'postgres', probe: async () => undefined },
        { name: 'redis', probe: async () => Promise.reject(new Error('ECONNREFUSED')) },
      ],
      100,
    );
    expect(result.status).to.equal('unavailable');
    expect(result.checks.redis).to.deep.include({ ok: false, error: 'ECONNREFUSED' });
    expect(result.checks.postgres!.ok).to.equal(true);
  });

  it('when a dependency hangs, then it is reported as timed out and aborted', async () => {
    let aborted = false;
    const hang = (signal: AbortSignal) =>
      new Promise<void>(() => signal.addEventListener('abort', () => (aborted = true)));
    const result = await checkReadiness([{ name: 'n8n', probe: hang }], 50);
    expect(result.checks.n8n).to.deep.include({ ok: false, error: 'no answer within 50 ms' });
    expect(aborted).to.equal(true);
  });
});
