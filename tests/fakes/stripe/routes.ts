// The fake's API routes: each resource file exports a list of { method, path, handle }.
import type { Reply } from '../support/fake-server.js';
import type { Billing, Params } from './account.js';

export type Ctx = Billing & { params: Params };
export type Route = { method: 'GET' | 'POST' | 'DELETE'; path: RegExp; handle: (ctx: Ctx, ...ids: string[]) => Reply };

export const route = (method: Route['method'], path: string, handle: Route['handle']): Route => ({
  method, path: new RegExp(`^${path.replace(/:\w+/g, '([A-Za-z0-9_]+)')}$`), handle,
});
