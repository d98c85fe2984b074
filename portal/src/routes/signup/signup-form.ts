/**
 * The sign-up form, read and checked in the portal before the API sees it (the API checks again with zod):
 * the same rules, so a visitor learns of a typo beside the field instead of after a round trip.
 */
export type SignupFields = 'businessName' | 'name' | 'email' | 'password' | 'planId' | 'interval' | 'timeZone';
export type SignupValues = {
  businessName: string;
  name: string;
  email: string;
  password: string;
  planId: string;
  interval: 'month' | 'year';
  timeZone: string;
};
export type SignupErrors = Partial<Record<SignupFields | 'form', string>>;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** What the visitor typed (the password untrimmed), and what is wrong with it, field by field. */
export function readSignupForm(data: FormData): { values: SignupValues; errors: SignupErrors } {
  const timeZone = text(data, 'timeZone');
  const values: SignupValues = {
    businessName: text(data, 'businessName'),
    name: text(data, 'name'),
    email: text(data, 'email').toLowerCase(),
    password: String(data.get('password') ?? ''),
    planId: text(data, 'planId'),
    interval: text(data, 'interval') === 'year' ? 'year' : 'month',
    // The browser's zone (filled in by the page's script); UTC when unknown. The owner can change it later.
    timeZone: timeZone && isTimeZone(timeZone) ? timeZone : 'UTC',
  };
  const errors: SignupErrors = {};
  if (values.businessName.length < 2) errors.businessName = 'Enter your business name.';
  else if (values.businessName.length > 200) errors.businessName = 'Keep the business name under 200 characters.';
  if (!values.name) errors.name = 'Enter your name.';
  else if (values.name.length > 200) errors.name = 'Keep your name under 200 characters.';
  if (!EMAIL.test(values.email) || values.email.length > 320) errors.email = 'Enter an e-mail address you can open now: we send a link to it.';
  if (values.password.length < 12) errors.password = 'Choose a password of at least 12 characters.';
  else if (values.password.length > 256) errors.password = 'Choose a password of at most 256 characters.';
  if (!UUID.test(values.planId)) errors.planId = 'Choose a plan.';
  return { values, errors };
}

/** The field a 400 from the API points at ("body.email" → email), so its message shows beside that input. */
export function fieldOfIssue(path: string): SignupFields | 'form' {
  const field = path.replace(/^body\./, '');
  const known: SignupFields[] = ['businessName', 'name', 'email', 'password', 'planId', 'interval', 'timeZone'];
  return (known as string[]).includes(field) ? (field as SignupFields) : 'form';
}

/** What the visitor may see again after a failed submit: everything but the password. */
export function keptValues(values: SignupValues): Omit<SignupValues, 'password'> {
  const { password: _password, ...kept } = values;
  return kept;
}
