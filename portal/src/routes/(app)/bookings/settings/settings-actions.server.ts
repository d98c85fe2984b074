import { fail, type RequestEvent } from '@sveltejs/kit';
import { ApiError } from '#lib/server/api.js';
import { backendJson, explainFailure } from '../../agency/session-api.server.js';
import { isDay } from '../calendar-time.js';
import { parseAmount } from './money.js';

type Range = { start: string; end: string };
const text = (data: FormData, key: string) => String(data.get(key) ?? '').trim();

/** A failed call as the form shows it: the backend's field messages when it names fields, else its message. */
function refused(err: unknown, form: string) {
  const issues = err instanceof ApiError ? Object.entries(err.fieldErrors()).map(([path, message]) => `${path}: ${message}`) : [];
  return fail(explainFailure(err).status, { form, error: issues.length > 0 ? `${explainFailure(err).message} (${issues.join('; ')})` : explainFailure(err).message });
}

function serviceFrom(data: FormData): { service?: Record<string, unknown>; error?: string } {
  const name = text(data, 'name');
  const duration = Number(text(data, 'durationMinutes'));
  const before = Number(text(data, 'bufferBeforeMinutes') || '0');
  const after = Number(text(data, 'bufferAfterMinutes') || '0');
  const price = text(data, 'price');
  const currency = text(data, 'currency').toLowerCase();
  if (!name) return { error: 'Give the service a name.' };
  if (!Number.isInteger(duration) || duration < 5 || duration > 720) return { error: 'Duration: whole minutes between 5 and 720.' };
  if (![before, after].every((m) => Number.isInteger(m) && m >= 0 && m <= 240)) return { error: 'Buffers: whole minutes between 0 and 240.' };
  const cents = price ? parseAmount(price) : null;
  if (cents === undefined) return { error: 'Price: an amount like 25 or 25.50, or leave it empty.' };
  if (cents !== null && !/^[a-z]{3}$/.test(currency)) return { error: 'Currency: a three-letter code such as USD or EUR.' };
  return { service: { name, durationMinutes: duration, bufferBeforeMinutes: before, bufferAfterMinutes: after, priceCents: cents, currency: cents === null ? null : currency, active: data.get('active') !== null } };
}

/** Up to two opening ranges for a weekday (or an exception date) from "<prefix>start0/end0/start1/end1". */
function rangesFrom(data: FormData, prefix: string): Range[] {
  return [0, 1].map((i) => ({ start: text(data, `${prefix}start${i}`), end: text(data, `${prefix}end${i}`) })).filter((r) => r.start || r.end);
}

export const settingsActions = {
  addService: async (event: RequestEvent) => {
    const { service, error } = serviceFrom(await event.request.formData());
    if (!service) return fail(400, { form: 'new-service', error });
    try {
      await backendJson(event, 'POST', '/api/v1/booking/services', service);
      return { form: 'new-service', saved: 'Service added.' };
    } catch (err) {
      return refused(err, 'new-service');
    }
  },
  editService: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const id = text(data, 'serviceId');
    const { service, error } = serviceFrom(data);
    if (!service) return fail(400, { form: `service-${id}`, error });
    try {
      await backendJson(event, 'PATCH', `/api/v1/booking/services/${encodeURIComponent(id)}` as `/${string}`, service);
      return { form: `service-${id}`, saved: 'Saved. Existing bookings keep their times.' };
    } catch (err) {
      return refused(err, `service-${id}`);
    }
  },
  hours: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const weekly = [0, 1, 2, 3, 4, 5, 6].map((weekday) => ({ weekday, ranges: rangesFrom(data, `d${weekday}-`) })).filter((d) => d.ranges.length > 0);
    if (weekly.some((d) => d.ranges.some((r) => !r.start || !r.end))) return fail(400, { form: 'hours', error: 'Each opening needs both a start and an end time.' });
    try {
      await backendJson(event, 'PUT', '/api/v1/booking/hours', { weekly });
      return { form: 'hours', saved: 'Opening hours saved.' };
    } catch (err) {
      return refused(err, 'hours');
    }
  },
  setException: async (event: RequestEvent) => {
    const data = await event.request.formData();
    const date = text(data, 'date');
    const reason = text(data, 'reason');
    const closed = data.get('closed') !== null;
    const ranges = closed ? [] : rangesFrom(data, 'x-');
    if (!isDay(date)) return fail(400, { form: 'exception', error: 'Choose the date.' });
    if (!closed && ranges.length === 0) return fail(400, { form: 'exception', error: 'Tick “closed all day” or give the special opening hours.' });
    if (ranges.some((r) => !r.start || !r.end)) return fail(400, { form: 'exception', error: 'Each opening needs both a start and an end time.' });
    try {
      await backendJson(event, 'PUT', '/api/v1/booking/exceptions', { date, ranges, ...(reason && { reason }) });
      return { form: 'exception', saved: `Special hours for ${date} saved.` };
    } catch (err) {
      return refused(err, 'exception');
    }
  },
  clearException: async (event: RequestEvent) => {
    const date = text(await event.request.formData(), 'date');
    if (!isDay(date)) return fail(400, { form: 'exception', error: 'Choose the date.' });
    try {
      await backendJson(event, 'DELETE', `/api/v1/booking/exceptions/${date}`);
      return { form: 'exception', saved: `${date} follows the weekly hours again.` };
    } catch (err) {
      return refused(err, 'exception');
    }
  },
};
