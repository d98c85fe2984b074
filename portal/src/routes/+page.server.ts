import { redirect } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { whoAmI } from '#lib/server/session.js';
import type { PageServerLoad } from './$types';

/**
 * The front door. A public visitor gets a plain sign-in landing (no internals); someone working inside a
 * business goes to its home; agency staff see the system status (database, Redis, n8n).
 */
export const load: PageServerLoad = async ({ cookies, locals, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const me = await whoAmI({ cookies, requestId: locals.requestId }).catch(() => undefined);
  if (me?.tenantId) redirect(303, '/home');
  const checkedAt = new Date().toISOString();
  if (!me) return { staff: false as const, checkedAt, readiness: null, problem: null };
  try {
    const readiness = await locals.api.getReadiness();
    return { staff: true as const, checkedAt, readiness, problem: null };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // The browser gets a category and a reference; the details (internal URLs) stay in the log.
    const { code, status, message } = err;
    console.warn(JSON.stringify({ level: 'warn', msg: 'readiness check failed', requestId: locals.requestId, code, status, err: message }));
    return {
      staff: true as const,
      checkedAt,
      readiness: null,
      problem: { unreachable: err.isUnavailable, requestId: err.requestId ?? locals.requestId },
    };
  }
};
