import { gzipSync } from 'node:zlib';
import { expect } from 'chai';
import { Router } from 'express';
import request from 'supertest';
import { z } from 'zod';
import { createApp } from '../../src/http/app.js';
import { jsonNestingDepth, MAX_JSON_DEPTH } from '../../src/http/json-depth.js';
import { validate } from '../../src/http/validate.js';
import { findUnstorableText, toStorable } from '../../src/infra/storable-text.js';
import { createLogger } from '../../src/logger.js';

function appWith(router: Router) {
  return createApp({ logger: createLogger({ logLevel: 'silent' }), routers: [router] });
}

const deepJson = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

describe('hostile input reaches no handler', () => {
  const router = Router();
  router.post('/things', validate({ body: z.strictObject({ name: z.string(), data: z.record(z.string(), z.unknown()).optional() }) }), (req, res) => {
    res.status(201).json(req.body);
  });
  router.get('/things/:id', validate({ params: z.object({ id: z.string() }) }), (req, res) => {
    res.json({ id: req.params.id });
  });
  router.post('/raw', (req, res) => {
    res.json({ depth: JSON.stringify(req.body).length });
  });
  const app = appWith(router);

  it('when a string or a key holds NUL or a lone surrogate, then 400 names each field', async () => {
    const res = await request(app).post('/things').send({ name: 'a\u0000b', data: { ['k\ud800']: 'fine', nested: ['\udc00'] } }).expect(400);
    expect(res.body.error.details.map((d: { path: string }) => d.path)).to.have.members(['body.name', 'body.data."k\\ud800"', 'body.data.nested.0']);
    expect(res.body.error.details[0].code).to.equal('unstorable_text');
  });

  it('when a path parameter decodes to NUL, then 400; a well-formed surrogate pair is fine', async () => {
    await request(app).get('/things/a%00b').expect(400);
    await request(app).get(`/things/${encodeURIComponent('😀')}`).expect(200, { id: '😀' });
    await request(app).post('/things').send({ name: '😀 ok' }).expect(201);
  });

  it('when the path is not valid percent-encoding, then 400 instead of a URIError 500', async () => {
    const res = await request(app).get('/things/%ZZ').expect(400);
    expect(res.body.error.code).to.equal('VALIDATION_FAILED');
    await request(app).get('/things/%E0%A4%A').expect(400);
  });

  it(`when JSON nests deeper than ${MAX_JSON_DEPTH} levels, then 400 before any handler runs (40,000 levels included)`, async () => {
    const res = await request(app).post('/raw').set('content-type', 'application/json').send(deepJson(40_000)).expect(400);
    expect(res.body.error.message).to.match(/nests too deeply/);
    await request(app).post('/raw').set('content-type', 'application/json').send(deepJson(MAX_JSON_DEPTH)).expect(200);
    // Brackets inside strings do not count.
    await request(app).post('/raw').send({ text: '['.repeat(1000) + '\\"{' }).expect(200);
  });

  it('when Content-Encoding claims gzip but the body is not, then 400; an unknown encoding is 415; real gzip works', async () => {
    await request(app).post('/things').set('content-type', 'application/json').set('content-encoding', 'gzip').send('{"name":"x"}').expect(400);
    await request(app).post('/things').set('content-type', 'application/json').set('content-encoding', 'zstd-ish').send('{"name":"x"}').expect(415);
    await request(app).post('/things').set('content-type', 'application/json').set('content-encoding', 'gzip')
      .serialize((body: Buffer) => body as never).send(gzipSync('{"name":"x"}')).expect(201);
  });

  it('when body-parser reports any client fault (aborted, wrong length, too many parameters, charset), then a 4xx, never a 500', async () => {
    const faults = Router();
    faults.get('/fault/:type', (req) => {
      // The shape body-parser's errors have (http-errors): status, expose and a type.
      throw Object.assign(new Error(`body-parser says ${req.params.type}`), { status: 400, statusCode: 400, expose: true, type: req.params.type });
    });
    const faulty = appWith(faults);
    const expected: Record<string, number> = {
      'request.aborted': 400, 'request.size.invalid': 400, 'entity.verify.failed': 400, 'parameters.too.many': 413,
      'charset.unsupported': 415, 'encoding.unsupported': 415, 'entity.too.large': 413, 'something.new': 400,
    };
    for (const [type, status] of Object.entries(expected)) {
      const res = await request(faulty).get(`/fault/${type}`);
      expect(res.status, type).to.equal(status);
    }
  });

  it('when the charset is unknown, then 415', async () => {
    await request(app).post('/things').set('content-type', 'application/json; charset=klingon').send('{"name":"x"}').expect(415);
  });
});

describe('storable text', () => {
  it('when a payload holds NUL or lone surrogates, then toStorable replaces each with U+FFFD and keeps the rest', () => {
    const at = new Date();
    const payload = { body: 'hi\u0000there', list: ['\ud800x', 'ok'], ['k\u0000']: 1, at, pair: '😀' };
    const clean = toStorable(payload);
    expect(clean).to.deep.equal({ body: 'hi\ufffdthere', list: ['\ufffdx', 'ok'], ['k\ufffd']: 1, at, pair: '😀' });
    expect(clean.at).to.equal(at);
    const untouched = { a: ['b', { c: 'd' }] };
    expect(toStorable(untouched)).to.equal(untouched);
    expect(findUnstorableText(clean, 'x')).to.deep.equal([]);
  });

  it('when counting depth, then strings and escapes are skipped', () => {
    expect(jsonNestingDepth(Buffer.from('{"a":[1,{"b":"]]]]\\"[[["}]}'))).to.equal(3);
  });
});
