import { localeFromAcceptLanguage } from '#lib/format.js';
import type { LayoutServerLoad } from './$types';

/** The reader's locale, for formatting dates the same way on the server and in the browser (#lib/dates.js). */
export const load: LayoutServerLoad = ({ request }) => ({ locale: localeFromAcceptLanguage(request.headers.get('accept-language')) });
