import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { signIn, whoAmI } from '#lib/server/session.js';
import { throttledMessage } from '#lib/server/throttled.js';
import { backendJson } from '../../(app)/agency/session-api.server.js';
import type { Actions, PageServerLoad } from './$types';

type Errors = Partial<Record<'form' | 'name' | 'password', string>>;
const problems = (value: Errors): Errors => value;

const ROLE: Record<string, string> = {
  tenant_owner: 'owner', tenant_admin: 'admin', tenant_member: 'team member', agency_owner: 'agency owner', agency_operator: 'agency operator',
};

/** The invitation link from the e-mail: what it offers, or why it no longer works. */
export const load: PageServerLoad = async ({ url, locals }) => {
  const token = url.searchParams.get('token') ?? '';
  if (!token) return { token, offer: null, problem: 'This link has no invitation in it. Open the link from the e-mail again.' };
  try {
    const offer = await locals.api.inspectInvitation(token);
    return { token, offer: { ...offer, roleLabel: ROLE[offer.role] ?? offer.role }, problem: null };
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) return { token, offer: null, problem: 'This invitation was already used, revoked or has expired. Ask whoever invited you for a new one.' };
    return { token, offer: null, problem: 'Invitations can’t be checked right now. Please try again in a few minutes.' };
  }
};

export const actions: Actions = {
  default: async (event) => {
    const { request, locals, cookies, url } = event;
    const data = await request.formData();
    const token = String(data.get('token') ?? '');
    const email = String(data.get('email') ?? '');
    const tenantId = String(data.get('tenantId') ?? '');
    const name = String(data.get('name') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const newAccount = data.get('accountExists') !== 'true';
    const errors: Errors = {};
    if (newAccount && !name) errors.name = 'Enter your name as your colleagues know it.';
    if (newAccount && password.length < 12) errors.password = 'Choose a password of at least 12 characters.';
    if (!newAccount && !password) errors.password = 'Enter your password.';
    if (Object.keys(errors).length > 0) return fail(400, { name, errors });
    try {
      if (newAccount) {
        await locals.api.acceptInvitation({ token, name, password });
        await signIn({ cookies, url, api: locals.api }, { email, password });
      } else {
        // The password is checked first, so a typo does not use up the invitation.
        await signIn({ cookies, url, api: locals.api }, { email, password });
        await locals.api.acceptInvitation({ token });
        // Someone already in another business lands in the one that invited them.
        if (tenantId) await backendJson(event, 'POST', '/api/v1/auth/switch-tenant', { tenantId }).catch(() => undefined);
      }
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const fields = err.status === 400 ? err.fieldErrors() : {};
      const message = err.status === 401 ? 'That password does not match your account.'
        : err.status === 429 ? throttledMessage(err, 'sign-in attempts')
        : err.status === 400 ? (fields.password ?? fields.name ?? err.message) : 'Accepting isn’t available right now. Please try again in a few minutes.';
      return fail([400, 401, 429].includes(err.status) ? err.status : 503, { name, errors: problems({ form: message }) });
    }
    const me = await whoAmI({ cookies, requestId: locals.requestId });
    redirect(303, me && !me.tenantId ? '/agency' : '/home');
  },
};
