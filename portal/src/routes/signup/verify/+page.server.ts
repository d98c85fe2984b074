import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { backendFetch } from '../../(app)/agency/session-api.server.js';
import type { Actions, PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TOKEN = /^[A-Za-z0-9_-]{20,200}$/;

/**
 * The link from the e-mail. Opening it changes nothing (mail scanners open links too): the visitor presses
 * the button, the API creates the business and signs its owner in, and the browser goes on to Stripe Checkout.
 */
export const load: PageServerLoad = ({ url }) => {
  const agencyId = url.searchParams.get('agency') ?? '';
  const token = url.searchParams.get('token') ?? '';
  const problem = UUID.test(agencyId) && TOKEN.test(token) ? null : 'This link is incomplete. Open the link from the e-mail again.';
  return { agencyId, token, problem };
};

export const actions: Actions = {
  default: async (event) => {
    const data = await event.request.formData();
    const body = { agencyId: String(data.get('agencyId') ?? ''), token: String(data.get('token') ?? '') };
    const response = await backendFetch(event, 'POST', '/api/v1/signup/verify', body);
    const answer = (await response.json().catch(() => undefined)) as { checkoutUrl?: string | null; error?: { message?: string } } | undefined;
    if (!response.ok) {
      const message = response.status < 500 ? (answer?.error?.message ?? 'This link no longer works.') : 'Your account can’t be created right now. Please try again in a few minutes.';
      return fail(response.status < 500 ? response.status : 503, { error: message });
    }
    const session = response.headers.getSetCookie().map((line) => line.split(';')[0]!).find((pair) => pair.startsWith('sb_session='));
    if (!session) throw new ApiError(502, 'BAD_RESPONSE', 'The API created the account but sent no session', undefined, event.locals.requestId);
    const secure = event.url.protocol === 'https:';
    event.cookies.set('sb_session', decodeURIComponent(session.slice('sb_session='.length)), { path: '/', httpOnly: true, sameSite: 'lax', secure });
    // A CSRF token of an earlier session is not reused; the next mutation fetches a fresh one.
    event.cookies.delete('sb_csrf', { path: '/' });
    redirect(303, answer?.checkoutUrl ?? '/billing?checkout=later');
  },
};
