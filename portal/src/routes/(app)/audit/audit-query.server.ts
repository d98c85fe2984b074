import type { Cookies } from '@sveltejs/kit';
import { backendJson } from '../agency/session-api.server.js';

export { backendQuery, filterFrom, type AuditFilter } from './audit-filter.js';

/** Agency staff outside a tenant read the agency-wide trail; everyone else their tenant's. */
export async function auditLevel(context: { cookies: Cookies; locals: App.Locals }): Promise<'agency' | 'tenant'> {
  const me = await backendJson<{ tenantId: string | null }>(context, 'GET', '/api/v1/auth/me');
  return me.tenantId === null ? 'agency' : 'tenant';
}
