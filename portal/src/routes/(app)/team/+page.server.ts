import { fail, type RequestEvent } from '@sveltejs/kit';
import { planRefusalOf } from '#lib/server/api.js';
import { invitationOutcome, type CreatedInvitation } from '#lib/server/invitation-result.js';
import { backendJson, explainFailure } from '../agency/session-api.server.js';
import type { Actions, PageServerLoad } from './$types';

type Me = { tenantId: string | null; permissions: string[]; user: { id: string } };
export type Member = { id: string; email: string; name: string; status: string; memberships: { id: string; tenantId: string | null; role: string }[] };
export type Invitation = { id: string; email: string; role: string; expiresAt: string };

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const ROLES = { agency: ['agency_owner', 'agency_operator'], tenant: ['tenant_owner', 'tenant_admin', 'tenant_member'] } as const;

async function whoAmI(event: RequestEvent) {
  const me = await backendJson<Me>(event, 'GET', '/api/v1/auth/me');
  const level = me.tenantId === null ? ('agency' as const) : ('tenant' as const);
  return { me, level, canManage: me.permissions.includes(`${level}.users.manage_roles`) };
}

/**
 * Only the people of this level, each with the membership that gives them access here: the agency's staff
 * at agency level (not every client business's users), this business's team inside a business.
 */
function peopleAt(users: Member[], tenantId: string | null): Member[] {
  return users
    .map((user) => ({ ...user, memberships: user.memberships.filter((m) => m.tenantId === tenantId) }))
    .filter((user) => user.memberships.length > 0);
}

export const load: PageServerLoad = async (event) => {
  try {
    const { me, level, canManage } = await whoAmI(event);
    const [{ users }, { invitations }] = await Promise.all([
      backendJson<{ users: Member[] }>(event, 'GET', `/api/v1/${level}/users?limit=200`),
      backendJson<{ invitations: Invitation[] }>(event, 'GET', '/api/v1/invitations'),
    ]);
    // Only roles the API lets this person grant (never more than they hold): an admin cannot make owners.
    const roles = ROLES[level].filter((role) => role !== 'tenant_owner' || me.permissions.includes('tenant.billing.manage'));
    return { level, canManage, myUserId: me.user.id, roles, users: peopleAt(users, me.tenantId), invitations, loadError: null };
  } catch (err) {
    const empty = { level: 'tenant' as const, canManage: false, myUserId: '', roles: [] as string[], users: [] as Member[], invitations: [] as Invitation[] };
    return { ...empty, loadError: explainFailure(err).message };
  }
};

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** Runs one backend mutation and turns a refusal into a message beside the form that asked. */
async function attempt(action: string, id: string, call: () => Promise<unknown>, done: string) {
  try {
    await call();
  } catch (err) {
    const { status, message } = explainFailure(err);
    return fail(status, { action, id, errors: { form: message } as Record<string, string> });
  }
  return { action, id, done };
}

export const actions: Actions = {
  invite: async (event) => {
    const data = await event.request.formData();
    const email = text(data, 'email');
    const role = text(data, 'role');
    if (!EMAIL.test(email)) return fail(400, { action: 'invite', id: '', email, errors: { email: 'Enter an email address like name@example.com.' } as Record<string, string> });
    let created: CreatedInvitation;
    try {
      created = await backendJson<CreatedInvitation>(event, 'POST', '/api/v1/invitations', { email, role });
    } catch (err) {
      const { status, message } = explainFailure(err);
      return fail(status, { action: 'invite', id: '', email, errors: { form: message } as Record<string, string>, planRefusal: planRefusalOf(err) });
    }
    return { action: 'invite', id: '', ...invitationOutcome(email, created) };
  },
  revoke: async (event) => {
    const id = text(await event.request.formData(), 'id');
    return attempt('revoke', id, () => backendJson(event, 'DELETE', `/api/v1/invitations/${encodeURIComponent(id)}`), 'Invitation revoked.');
  },
  changeRole: async (event) => {
    const data = await event.request.formData();
    const { level } = await whoAmI(event);
    const id = text(data, 'membershipId');
    const call = () => backendJson(event, 'PATCH', `/api/v1/${level}/memberships/${encodeURIComponent(id)}`, { role: text(data, 'role') });
    return attempt('changeRole', id, call, 'Role changed.');
  },
  remove: async (event) => {
    const { level } = await whoAmI(event);
    const id = text(await event.request.formData(), 'membershipId');
    return attempt('remove', id, () => backendJson(event, 'DELETE', `/api/v1/${level}/memberships/${encodeURIComponent(id)}`), 'Removed from the team.');
  },
};
