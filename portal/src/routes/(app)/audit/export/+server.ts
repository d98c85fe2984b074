import { error } from '@sveltejs/kit';
import { backendFetch, explainFailure } from '../../agency/session-api.server.js';
import { auditLevel, backendQuery, filterFrom } from '../audit-query.server.js';
import type { RequestHandler } from './$types';

/** Streams the backend's CSV/JSON export to the browser as a download, with the page's filters. */
export const GET: RequestHandler = async (event) => {
  const format = event.url.searchParams.get('format') === 'csv' ? 'csv' : 'json';
  try {
    const level = await auditLevel(event);
    const response = await backendFetch(event, 'GET', `/api/v1/${level}/audit/export?${backendQuery(filterFrom(event.url), { format })}`);
    if (response.status === 402) {
      // Not in the business's plan: the API's sentence, and the error page offers the Billing page.
      const body = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
      error(402, body.error?.message ?? 'Your plan does not include the audit export.');
    }
    if (!response.ok) error(response.status === 403 ? 403 : 502, 'The audit export is not available to you right now.');
    return new Response(response.body, {
      headers: {
        'content-type': response.headers.get('content-type') ?? 'application/octet-stream',
        'content-disposition': response.headers.get('content-disposition') ?? `attachment; filename="audit.${format}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (err) {
    // explainFailure rethrows anything that is not an ApiError (including the error() above).
    const { status, message } = explainFailure(err);
    error(status, message);
  }
};
