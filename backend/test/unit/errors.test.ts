import { expect } from 'chai';
import { Router } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../src/http/app.js';
import { AppError } from '../../src/http/errors.js';
import { validate } from '../../src/http/validate.js';
import { createLogger } from '../../src/logger.js';

function appWith(router: Router) {
  return createApp({ logger: createLogger({ logLevel: 'silent' }), routers: [router] });
}

describe('HTTP errors', () => {
  const router = Router();
  router.post('/things', validate({ body: z.strictObject({ name: z.string().min(1) }) }), (req, res) => {
    res.status(201).json({ name: req.body.name });
  });
  router.get('/conflict', () => {
    throw new AppError('CONFLICT', 'Already exists');
  });
  router.get('/boom', async () => {
    throw new Error('database password is hunter2');
  });
  const app = appWith(router);

  it('when the body fails validation, then 400 lists each field issue', async () => {
    const res = await request(app).post('/things').send({ name: 42, extra: true }).expect(400);
    expect(res.body.error.code).to.equal('VALIDATION_FAILED');
    const paths = res.body.error.details.map((d: { path: string }) => d.path);
    expect(paths).to.include('body.name');
    expect(res.body.error.details.some((d: { code: string }) => d.code === 'unrecognized_keys')).to.equal(true);
  });

  it('when the body is valid, then the handler sees the parsed value', async () => {
    await request(app).post('/things').send({ name: 'ok' }).expect(201, { name: 'ok' });
  });

  it('when JSON is malformed, then 400 says so instead of 500', async () => {
    const res = await request(app).post('/things').set('content-type', 'application/json').send('{"name":').expect(400);
    expect(res.body.error.message).to.match(/not valid JSON/);
  });

  it('when the body is oversized, then 413', async () => {
    await request(app).post('/things').send({ name: 'x'.repeat(300_000) }).expect(413);
  });

  it('when a use case throws an AppError, then its status and code are used', async () => {
    const res = await request(app).get('/conflict').expect(409);
    expect(res.body.error).to.include({ code: 'CONFLICT', message: 'Already exists' });
  });

  it('when an async handler throws unexpectedly, then 500 hides the internals and carries the request id', async () => {
    const res = await request(app).get('/boom').set('x-request-id', 'req-123').expect(500);
    expect(JSON.stringify(res.body)).to.not.contain('hunter2');
    expect(res.body.error).to.include({ code: 'INTERNAL', requestId: 'req-123' });
    expect(res.headers['x-request-id']).to.equal('req-123');
  });

  it('when no route matches, then 404 in the same error shape', async () => {
    const res = await request(app).get('/nope').expect(404);
    expect(res.body.error.code).to.equal('NOT_FOUND');
  });
});
