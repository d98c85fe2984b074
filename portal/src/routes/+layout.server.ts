import { localeFromAcceptLanguage } from '#lib/format.js';
import type { LayoutServerLoad } from './$types';

/**
 * Public pages only need to know whether someone is signed in (the header's "Open the portal"); no backend call.
 * The reader's locale formats dates the same way on the server and in the browser (#lib/dates.js).
 */
export const load: LayoutServerLoad = ({ cookies, request }) => ({
  signedIn: Boolean(cookies.get('sb_session')),
  locale: localeFromAcceptLanguage(request.headers.get('accept-language')),
});
