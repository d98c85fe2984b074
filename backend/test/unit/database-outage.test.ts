import { expect } from 'chai';
import { Router } from 'express';
import { ConnectionAcquireTimeoutError, ConnectionError, ConnectionRefusedError, DatabaseError, UniqueConstraintError } from 'sequelize';
import request from 'supertest';
import { isDatabaseUnavailable } from '../../src/db/database-outage.js';
import { createApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';

// What node-postgres hands Sequelize: an Error with the server's SQLSTATE or the socket's code.
const pgError = (message: string, code?: string) => Object.assign(new Error(message), code ? { code } : {});
const queryError = (message: string, code?: string) => new DatabaseError(Object.assign(pgError(message, code), { sql: 'SELECT 1', parameters: {} }));

describe('database outage: which errors mean "PostgreSQL is away, retry"', () => {
  const outages: [string, Error][] = [
    ['connection refused', new ConnectionRefusedError(pgError('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'))],
    ['server starting up (57P03 at connect)', new ConnectionError(pgError('the database system is starting up', '57P03'))],
    ['pool acquire timeout', new ConnectionAcquireTimeoutError(new Error('Operation timeout'))],
    ['admin shutdown during a query (57P01)', queryError('terminating connection due to administrator command', '57P01')],
    ['crash shutdown (57P02)', queryError('terminating connection because of crash of another server process', '57P02')],
    ['socket dropped mid-query', queryError('Connection terminated unexpectedly')],
    ['a client that already failed', queryError('Client has encountered a connection error and is not queryable')],
    ['our statement timeout (57014)', queryError('canceling statement due to statement timeout', '57014')],
    ['client-side query timeout', queryError('Query read timeout')],
    ['connection reset', queryError('read ECONNRESET', 'ECONNRESET')],
  ];
  for (const [what, err] of outages) {
    it(`when the error is ${what}, then it is an outage`, () => {
      expect(isDatabaseUnavailable(err)).to.equal(true);
    });
  }

  const notOutages: [string, unknown][] = [
    ['a unique violation', new UniqueConstraintError({ message: 'duplicate key' })],
    ['invalid input syntax (22P02)', queryError('invalid input syntax for type uuid', '22P02')],
    ["a provider's HTTP client refused (not the database)", pgError('connect ECONNREFUSED 10.0.0.1:443', 'ECONNREFUSED')],
    ['a plain error mentioning connections', new Error('Connection terminated by the provider')],
    ['not an error', 'ECONNREFUSED'],
  ];
  for (const [what, err] of notOutages) {
    it(`when the error is ${what}, then it is not an outage`, () => {
      expect(isDatabaseUnavailable(err)).to.equal(false);
    });
  }

  it('when a route fails because the database is away, then the API answers 503 DEPENDENCY_UNAVAILABLE with Retry-After, without internals', async () => {
    const router = Router();
    router.post('/webhook', async () => {
      throw queryError('terminating connection due to administrator command', '57P01');
    });
    const app = createApp({ logger: createLogger({ logLevel: 'silent' }), routers: [router] });
    const res = await request(app).post('/webhook').send({}).expect(503);
    expect(res.headers['retry-after']).to.match(/^\d+$/);
    expect(res.body.error).to.deep.include({ code: 'DEPENDENCY_UNAVAILABLE', details: { dependency: 'postgres' } });
    expect(JSON.stringify(res.body)).not.to.include('administrator');
  });
});
