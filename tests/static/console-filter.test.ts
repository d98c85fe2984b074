import { expect } from 'chai';
import { problemLine } from '../../deploy/native/console-filter.js';

describe('make dev console: our progress and errors, the rest in the log files', () => {
  it('when our API logs an error, then one line with its message reaches the console', () => {
    const line = JSON.stringify({ level: 50, time: 1, msg: 'send failed', err: { message: 'connect ECONNREFUSED 127.0.0.1:6379', stack: 'Error: connect…\n    at x' } });
    expect(problemLine('api', line)).to.equal('error: send failed (connect ECONNREFUSED 127.0.0.1:6379)');
  });

  it('when our services log requests, info or warnings, then the console stays quiet', () => {
    expect(problemLine('api', JSON.stringify({ level: 30, msg: 'request completed' }))).to.equal(undefined);
    expect(problemLine('worker', JSON.stringify({ level: 40, msg: 'slow job' }))).to.equal(undefined);
    expect(problemLine('portal', '(node:123) ExperimentalWarning: something')).to.equal(undefined);
  });

  it('when a process crashes, then the error line shows but not its stack frames', () => {
    expect(problemLine('worker', 'TypeError: Cannot read properties of undefined')).to.equal('TypeError: Cannot read properties of undefined');
    expect(problemLine('worker', '    at Object.<anonymous> (/work/x.ts:1:1)')).to.equal(undefined);
  });

  it('when n8n prints warnings or errors, then they stay in its log file', () => {
    expect(problemLine('n8n', 'Error: deprecated option')).to.equal(undefined);
    expect(problemLine('n8n-worker', JSON.stringify({ level: 50, msg: 'x' }))).to.equal(undefined);
  });

  it('when a very long error comes, then the console line is cut', () => {
    expect(problemLine('api', `Error: ${'x'.repeat(500)}`)!.length).to.equal(220);
  });
});
