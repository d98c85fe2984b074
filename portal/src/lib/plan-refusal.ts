/**
 * A 402 from the API: the plan or the billing state refused (backend modules/entitlements). Pages show its
 * sentence and an "Upgrade plan" link instead of an error. Typed by shape, not by ApiError, so components
 * can import the type without pulling server code into the browser.
 */
export type PlanRefusalCode = 'PLAN_LIMIT' | 'FEATURE_NOT_IN_PLAN' | 'SUBSCRIPTION_RESTRICTED';
export type PlanRefusal = { code: PlanRefusalCode; message: string; limit: number | null; current: number | null; upgradeUrl: string };

const CODES: readonly string[] = ['PLAN_LIMIT', 'FEATURE_NOT_IN_PLAN', 'SUBSCRIPTION_RESTRICTED'];
const BILLING_PAGE = '/billing';

const count = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) ? value : null);

/** Only a path on this portal: a link the API names must never send the owner elsewhere. */
const samePortal = (value: unknown): string => (typeof value === 'string' && /^\/(?![/\\])/.test(value) ? value : BILLING_PAGE);

/** The refusal inside a failed call, or null for every other failure (those keep their usual handling). */
export function planRefusalOf(err: unknown): PlanRefusal | null {
  const { status, message, details } = (err ?? {}) as { status?: unknown; message?: unknown; details?: unknown };
  if (status !== 402 || typeof message !== 'string' || message === '') return null;
  const d = (details ?? {}) as Record<string, unknown>;
  const code = typeof d.code === 'string' && CODES.includes(d.code) ? (d.code as PlanRefusalCode) : 'PLAN_LIMIT';
  return { code, message, limit: count(d.limit), current: count(d.current), upgradeUrl: samePortal(d.upgradeUrl) };
}
