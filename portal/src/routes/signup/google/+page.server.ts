import { googleSignupResult } from '../google-signup.js';
import type { PageServerLoad } from './$types';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Where the API's Google sign-up routes send the browser when they did not go on to Checkout: what happened, and where next. */
export const load: PageServerLoad = ({ url }) => {
  const agency = url.searchParams.get('agency') ?? '';
  return { result: googleSignupResult(url.searchParams.get('result') ?? ''), signupUrl: UUID.test(agency) ? `/signup?agency=${agency}` : '/signup' };
};
