import { fail, redirect } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import type { Actions } from './$types';
import { backendJson, explainFailure } from '../../agency/session-api.server.js';

type Field = 'name' | 'phone' | 'email' | 'form';
type Created = { id: string };
type Values = { name: string; phone: string; email: string };
/** Every refusal has the same shape: what was typed, the message per field, and the contact that already has the number. */
const failed = (status: number, values: Values, errors: Partial<Record<Field, string>>, existingId: string | null = null) => fail(status, { values, errors, existingId });
const text = (data: FormData, key: string) => String(data.get(key) ?? '').trim();

export const actions: Actions = {
  /** Adds a contact by phone; a number that already belongs to a contact is pointed out rather than silently merged. */
  create: async (event) => {
    const data = await event.request.formData();
    const values: Values = { name: text(data, 'name'), phone: text(data, 'phone'), email: text(data, 'email') };
    const errors: Partial<Record<Field, string>> = {};
    if (!values.phone) errors.phone = 'Enter a phone number, e.g. +1 415 555 0100 or (415) 555-0100.';
    if (values.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(values.email)) errors.email = 'Enter an email address like name@example.com, or leave it empty.';
    if (Object.keys(errors).length > 0) return failed(400, values, errors);
    let created: Created;
    try {
      const existing = await findByPhone(event, values.phone);
      if (existing) return failed(409, values, { phone: 'A contact already has this number.' }, existing.id);
      created = await backendJson<Created>(event, 'POST', '/api/v1/contacts', {
        phone: values.phone, ...(values.name && { name: values.name }), ...(values.email && { email: values.email }),
      });
    } catch (err) {
      const fields = err instanceof ApiError ? err.fieldErrors() : {};
      const known = Object.fromEntries(Object.entries(fields).filter(([key]) => key in values).map(([key, message]) => [key, sentence(message)])) as typeof errors;
      if (Object.keys(known).length > 0) return failed(400, values, known);
      return failed(explainFailure(err).status, values, { form: explainFailure(err).message });
    }
    redirect(303, `/contacts/${created.id}?added=1`);
  },
};

/** The contact with this number, if any (the backend normalizes it the same way it would on create). */
async function findByPhone(event: Parameters<typeof backendJson>[0], phone: string): Promise<Created | undefined> {
  try {
    return await backendJson<Created>(event, 'GET', `/api/v1/contacts/by-phone?${new URLSearchParams({ phone })}`);
  } catch (err) {
    // 404: nobody has it. 400: the lookup could not read the number; creating will say why, on the field.
    if (err instanceof ApiError && (err.status === 404 || err.status === 400)) return undefined;
    throw err;
  }
}

const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}${/[.!?]$/.test(message) ? '' : '.'}`;
