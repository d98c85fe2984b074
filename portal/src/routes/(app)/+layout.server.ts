import { redirect } from '@sveltejs/kit';
import { whoAmI } from '#lib/server/session.js';
import type { LayoutServerLoad } from './$types';

/** Every page in (app) needs a signed-in person; the layout gets only the fields the shell shows. */
export const load: LayoutServerLoad = async ({ cookies, locals, url }) => {
  const me = await whoAmI({ cookies, requestId: locals.requestId });
  if (!me) {
    cookies.delete('sb_session', { path: '/' });
    redirect(303, `/sign-in?next=${encodeURIComponent(url.pathname + url.search)}`);
  }
  return {
    me: {
      email: me.user.email, name: me.user.name, role: me.role, tenantId: me.tenantId,
      agencyStaff: !me.tenantId || !!me.actingAs, actingAsTenant: !!me.actingAs,
    },
  };
};
