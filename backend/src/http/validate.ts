import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { findUnstorableText } from '../infra/storable-text.js';
import { AppError, type FieldIssue } from './errors.js';

type Schemas = { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };

export function toFieldIssues(error: z.ZodError, location: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

const UNSTORABLE = 'contains a NUL character or an unpaired UTF-16 surrogate, which cannot be stored';

/**
 * Text PostgreSQL cannot store (NUL, lone surrogates: see infra/storable-text.ts) anywhere in the
 * input, keys included, before any schema sees it: every declared route refuses it with a 400.
 */
function unstorableTextIssues(req: Parameters<RequestHandler>[0], schemas: Schemas): FieldIssue[] {
  const locations = (['params', 'query', 'body'] as const).filter((location) => location !== 'body' || schemas.body);
  return locations.flatMap((location) =>
    findUnstorableText(req[location], location).map((path) => ({ path, message: UNSTORABLE, code: 'unstorable_text' })),
  );
}

/**
 * Validates body, query and params with zod; the parsed values replace the raw ones
 * (query is read-only in Express 5, so it lands in res.locals.query).
 */
export function validate(schemas: Schemas): RequestHandler {
  return (req, res, next) => {
    const unstorable = unstorableTextIssues(req, schemas);
    if (unstorable.length > 0) throw new AppError('VALIDATION_FAILED', 'The request contains text that cannot be stored', unstorable);
    const issues: FieldIssue[] = [];
    for (const location of ['params', 'query', 'body'] as const) {
      const schema = schemas[location];
      if (!schema) continue;
      const result = schema.safeParse(req[location] ?? {});
      if (!result.success) issues.push(...toFieldIssues(result.error, location));
      else if (location === 'query') res.locals.query = result.data;
      else if (location === 'params') Object.assign(req.params, result.data);
      else req.body = result.data;
    }
    if (issues.length > 0) throw new AppError('VALIDATION_FAILED', 'The request is not valid', issues);
    next();
  };
}
