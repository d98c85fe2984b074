import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { signIn, whoAmI } from '#lib/server/session.js';
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
  default: async ({ request, locals, cookies, url }) => {
    const data = await request.formData();
    const token = String(data.get('token') ?? '');
    const email = String(data.get('email') ?? '');
    const name = String(data.get('name') ?? '').trim();
    const password = String(data.get('password') ?? '');
    const newAccount = data.get('accountExists') !== 'true';
    const errors: Errors = {};
    if (newAccount && !name) errors.name = 'Enter your name as your colleagues know it.';
    if (password.length < 12) errors.password = newAccount ? 'Choose a password of at least 12 characters.' : 'Enter your password.';
    if (Object.keys(errors).length > 0) return fail(400, { name, errors });
    try {
      await locals.api.acceptInvitation(newAccount ? { token, name, password } : { token });
      await signIn({ cookies, url, requestId: locals.requestId }, { email, password });
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      const fields = err.status === 400 ? err.fieldErrors() : {};
      const message = err.status === 401 ? 'That password does not match your account.' : err.status === 400 ? (fields.password ?? fields.name ?? err.message) : 'Accepting isn’t available right now. Please try again in a few minutes.';
      return fail(err.status === 401 ? 401 : err.status === 400 ? 400 : 503, { name, errors: problems({ form: message }) });
    }
    const me = await whoAmI({ cookies, requestId: locals.requestId });
    redirect(303, me && !me.tenantId ? '/agency' : '/home');
  },
};
