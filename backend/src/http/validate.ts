import type { RequestHandler } from 'express';
import type { z } from 'zod';
import { AppError, type FieldIssue } from './errors.js';

type Schemas = { body?: z.ZodType; query?: z.ZodType; params?: z.ZodType };

export function toFieldIssues(error: z.ZodError, location: string): FieldIssue[] {
  return error.issues.map((issue) => ({
    path: [location, ...issue.path.map(String)].join('.'),
    message: issue.message,
    code: issue.code,
  }));
}

/**
 * Validates body, query and params with zod; the parsed values replace the raw ones
 * (query is read-only in Express 5, so it lands in res.locals.query).
 */
export function validate(schemas: Schemas): RequestHandler {
  return (req, res, next) => {
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
