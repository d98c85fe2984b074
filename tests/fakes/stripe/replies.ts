// Stripe-shaped answers: objects without the fake's `_` bookkeeping, list envelopes, and the error
// bodies Stripe sends (resource_missing, parameter_invalid, parameter_unknown, card_error).
import type { Reply } from '../support/fake-server.js';
import type { Params } from './account.js';
import type { FormValue } from './form.js';
import type { Metadata } from './types.js';

/** A deep copy without `_` fields: what the API shows and what an event carries. */
export function visible<T>(object: T): T {
  return JSON.parse(JSON.stringify(object, (key, value: unknown) => (key.startsWith('_') ? undefined : value))) as T;
}

export const ok = (object: unknown): Reply => ({ status: 200, body: visible(object) });

export function missing(resource: string, id: string, status = 404, param?: string): Reply {
  const singular = resource.replace(/s$/, '').replace(/_/g, ' ');
  return { status, body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such ${singular}: '${id}'`, param } } };
}

export function invalid(param: string, message: string): Reply {
  return { status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_invalid', message, param } } };
}

export function required(param: string): Reply {
  return { status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_missing', message: `Missing required param: ${param}.`, param } } };
}

/** Stripe refuses parameters it does not know, e.g. `unit_amount` on a price update (prices are immutable). */
export function unknownParameters(params: Params, allowed: string[]): Reply | undefined {
  const extra = Object.keys(params).find((key) => !allowed.includes(key) && key !== 'expand');
  if (!extra) return undefined;
  return { status: 400, body: { error: { type: 'invalid_request_error', code: 'parameter_unknown', message: `Received unknown parameter: ${extra}`, param: extra } } };
}

export function cardDeclined(message = 'Your card was declined.'): Reply {
  return { status: 402, body: { error: { type: 'card_error', code: 'card_declined', decline_code: 'generic_decline', message } } };
}

/** Stripe's list: newest first, `limit` (default 10, max 100) and `starting_after` for the next page. */
export function listOf<T extends { id: string }>(items: T[], params: Params, url: string): Reply {
  const newestFirst = [...items].reverse();
  const limit = Math.min(Math.max(Number(params.limit ?? 10) || 10, 1), 100);
  const after = typeof params.starting_after === 'string' ? newestFirst.findIndex((item) => item.id === params.starting_after) + 1 : 0;
  const page = newestFirst.slice(after, after + limit);
  return ok({ object: 'list', data: page, has_more: after + limit < newestFirst.length, url });
}

export const text = (value: FormValue | undefined): string | undefined => (typeof value === 'string' ? value : undefined);
export const flag = (value: FormValue | undefined): boolean | undefined => (value === undefined ? undefined : value === 'true');

/** A non-negative integer parameter, or undefined when absent, or NaN when malformed. */
export function integer(value: FormValue | undefined): number | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

/** Stripe's metadata update: keys merge, '' deletes a key, metadata='' clears all. */
export function mergeMetadata(current: Metadata, update: FormValue | undefined): Metadata {
  if (update === undefined) return current;
  if (update === '') return {};
  const next = { ...current };
  for (const [key, value] of Object.entries(update as Record<string, FormValue>)) {
    if (value === '') delete next[key];
    else next[key] = String(value);
  }
  return next;
}

export const isReply = (value: unknown): value is Reply =>
  typeof value === 'object' && value !== null && typeof (value as { status?: unknown }).status === 'number';
