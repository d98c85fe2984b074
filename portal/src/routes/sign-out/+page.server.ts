import { redirect } from '@sveltejs/kit';
import { signOut } from '#lib/server/session.js';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = () => redirect(303, '/sign-in');

export const actions: Actions = {
  /** This browser only. */
  here: async ({ cookies, locals }) => {
    await signOut({ cookies, requestId: locals.requestId });
    redirect(303, '/sign-in');
  },
  /** Every session of the person, on every device. */
  everywhere: async ({ cookies, locals }) => {
    await signOut({ cookies, requestId: locals.requestId }, true);
    redirect(303, '/sign-in');
  },
};
