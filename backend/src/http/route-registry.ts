import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import { authorize, type Access } from './authorize.js';
import { emptyQuery } from './schemas.js';
import { validate } from './validate.js';

/**
 * Every API route (public ones included) declares method, path, who may call it and its zod schemas in
 * one place. The same declarations mount the Express routes, generate /openapi.json and drive the test
 * matrices; a test fails when Express serves an /api/v1 route that is not declared here.
 */
export type { Access };

type AnyObject = z.ZodObject<z.ZodRawShape>;

export type RouteInput<P extends AnyObject, Q extends AnyObject, B extends AnyObject> = {
  params: z.infer<P>;
  query: z.infer<Q>;
  body: z.infer<B>;
  req: Request;
  res: Response;
};

export type RouteSpec<P extends AnyObject = AnyObject, Q extends AnyObject = AnyObject, B extends AnyObject = AnyObject> = {
  method: 'get' | 'post' | 'patch' | 'put' | 'delete';
  path: string;
  summary: string;
  tag: string;
  access: Access;
  /** 'tenant': acts within the principal's tenant; 'agency': agency level; 'any': either, or no principal (public). Drives the cross-tenant matrix. */
  scope: 'agency' | 'tenant' | 'any';
  params?: P;
  query?: Q;
  body?: B;
  response?: z.ZodType;
  /** Success status; default 200 with a response body, 204 without. 302 for routes that redirect. */
  status?: number;
  /** Returns the JSON body; a handler that wrote the response itself (CSV) returns undefined. */
  handler: (input: RouteInput<P, Q, B>) => Promise<unknown> | unknown;
};

export function defineRoute<P extends AnyObject, Q extends AnyObject, B extends AnyObject>(spec: RouteSpec<P, Q, B>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** Mounts routes: access check first (401/403 before any input is looked at), then zod, then the handler. */
export function mountRoutes(routes: readonly RouteSpec[]): Router {
  const router = Router();
  for (const route of routes) {
    router[route.method](
      route.path,
      authorize(route.access),
      // Every route validates its query (unknown parameters are a 400, as are unknown body fields).
      validate({ params: route.params, query: route.query ?? emptyQuery, body: route.body }),
      async (req, res) => {
        const result = await route.handler({
          params: req.params as never,
          query: (res.locals.query ?? {}) as never,
          body: (route.body ? req.body : {}) as never,
          req,
          res,
        });
        if (res.headersSent) return;
        if (result === undefined) res.status(route.status ?? 204).end();
        else res.status(route.status ?? 200).json(result);
      },
    );
  }
  return router;
}
