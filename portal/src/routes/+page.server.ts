import { ApiError } from '#lib/server/api.js';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ locals, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store' });
  const checkedAt = new Date().toISOString();
  try {
    const readiness = await locals.api.getReadiness();
    return { checkedAt, readiness, problem: null };
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    // The browser gets a category and a reference; the details (internal URLs) stay in the log.
    const { code, status, message } = err;
    console.warn(JSON.stringify({ level: 'warn', msg: 'readiness check failed', requestId: locals.requestId, code, status, err: message }));
    return {
      checkedAt,
      readiness: null,
      problem: { unreachable: err.isUnavailable, requestId: err.requestId ?? locals.requestId },
    };
  }
};
