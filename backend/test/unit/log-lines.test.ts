import { expect } from 'chai';
import { formatLogLine } from '../../src/log-lines.js';

describe('make logs for people', () => {
  it('when a worker line carries its context, then it reads as time, level, message and the ids first', () => {
    const json = JSON.stringify({ level: 40, time: '2026-12-07T20:01:02.345Z', service: 'switchboard-worker', msg: 'inbound message not processed', tenantId: 't-1', job: 'inbound', jobId: '42', attempt: 2, channels: ['sms'], err: 'x y' });
    expect(formatLogLine(`worker-1  | ${json}`)).to.equal('worker-1  | 20:01:02 WARN  inbound message not processed  job=inbound jobId=42 tenantId=t-1 attempt=2 channels=["sms"] error="x y"');
  });

  it('when a request is logged, then the method, path, status and time show, and the error message if any', () => {
    const json = JSON.stringify({ level: 50, time: '2026-12-07T20:01:02.345Z', msg: 'request errored', requestId: 'r-1', req: { method: 'POST', url: '/api/v1/contacts' }, res: { statusCode: 500 }, responseTime: 12, err: { type: 'Error', message: 'boom' } });
    expect(formatLogLine(json)).to.equal('20:01:02 ERROR request errored POST /api/v1/contacts → 500 12 ms  requestId=r-1 error="Error: boom"');
  });

  it('when a line is not ours (n8n, Caddy, PostgreSQL) or not JSON, then it passes unchanged', () => {
    for (const line of ['n8n-1  | Editor is now accessible via:', 'postgres-1  | LOG:  database system is ready', 'proxy-1  | {"level":"info","ts":1.5}x']) {
      expect(formatLogLine(line)).to.equal(line);
    }
  });
});
