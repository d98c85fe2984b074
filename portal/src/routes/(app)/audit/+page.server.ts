import { backendJson, explainFailure } from '../agency/session-api.server.js';
import type { PageServerLoad } from './$types';
import { auditLevel, backendQuery, filterFrom } from './audit-query.server.js';

export type AuditRow = {
  id: string;
  createdAt: string;
  actorType: string;
  actorId: string | null;
  actingAsTenantId: string | null;
  action: string;
  targetType: string | null;
  targetId: string | null;
  tenantId: string | null;
  /** Names the API resolved (null when it could not: the id is shown instead). */
  actorName?: string | null;
  targetName?: string | null;
};

export const load: PageServerLoad = async (event) => {
  const filter = filterFrom(event.url);
  try {
    const level = await auditLevel(event);
    const path = `/api/v1/${level}/audit/events?${backendQuery(filter, { limit: '100' })}` as const;
    const { events } = await backendJson<{ events: AuditRow[] }>(event, 'GET', path);
    return { filter, events, loadError: null };
  } catch (err) {
    const { status, message } = explainFailure(err);
    const loadError = status === 403 ? 'Only owners and admins can read the audit log.' : message;
    return { filter, events: [] as AuditRow[], loadError };
  }
};
