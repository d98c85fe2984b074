import type { Request } from 'express';
import type { Principal } from '../modules/auth/principal.js';
import { requirePrincipal } from './authorize.js';

/** Who acts and where the request came from: what use cases need for checks and the audit trail. */
export type Actor = { principal: Principal; requestId: string | null; ip: string | null };

export function actorFrom(req: Request): Actor {
  return { principal: requirePrincipal(req), requestId: req.id ? String(req.id) : null, ip: req.ip ?? null };
}
