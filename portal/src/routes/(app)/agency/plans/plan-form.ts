// The plan form's fields -> the API's plan body (prices in minor units, entitlements), with a
// sentence per field that is wrong. Empty limits mean unlimited.
import { parseMoney } from './money.js';

export const CHANNELS = [
  { key: 'sms', label: 'SMS' }, { key: 'voice', label: 'Voice calls' }, { key: 'whatsapp_linked', label: 'WhatsApp (linked phone)' },
  { key: 'whatsapp_cloud', label: 'WhatsApp Cloud API' }, { key: 'telegram', label: 'Telegram' }, { key: 'web_chat', label: 'Web chat' },
] as const;
export const ALLOWANCES = [
  { key: 'sms_segments', label: 'SMS segments' }, { key: 'voice_minutes', label: 'Voice minutes' }, { key: 'whatsapp_messages', label: 'WhatsApp messages' },
  { key: 'ai_tokens', label: 'AI tokens' }, { key: 'ai_replies', label: 'AI replies' },
] as const;

export type Entitlements = {
  agents: number | null;
  seats: number | null;
  channels: string[];
  features: string[];
  allowances: Record<(typeof ALLOWANCES)[number]['key'], number>;
};
export type PlanBody = {
  name: string; description: string; monthlyPriceMinor: number; yearlyPriceMinor: number | null; trialDays: number; entitlements: Entitlements;
};

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** A whole number within bounds, or null when empty and `emptyIsNull`. */
function count(raw: string, max: number, emptyIsNull: boolean): number | null | string {
  if (raw === '') return emptyIsNull ? null : 0;
  if (!/^\d+$/.test(raw)) return 'Enter a whole number (0 or more).';
  const value = Number(raw);
  return value > max ? `At most ${max.toLocaleString('en-US')}.` : value;
}

export function readPlanForm(data: FormData, currency: string): { body: PlanBody; errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  const take = <T>(field: string, value: T | string): T => {
    if (typeof value === 'string') errors[field] = value;
    return value as T;
  };
  const monthly = parseMoney(text(data, 'monthlyPrice'), currency);
  if (!monthly.ok) errors.monthlyPrice = monthly.error;
  const yearlyText = text(data, 'yearlyPrice');
  const yearly = yearlyText === '' ? null : parseMoney(yearlyText, currency);
  if (yearly && !yearly.ok) errors.yearlyPrice = yearly.error;
  const name = text(data, 'name');
  if (!name) errors.name = 'Enter the plan’s name.';
  const allowances = Object.fromEntries(ALLOWANCES.map(({ key }) => [key, take<number>(key, count(text(data, key), 1_000_000_000_000, false) ?? 0)]));
  const body: PlanBody = {
    name,
    description: text(data, 'description'),
    monthlyPriceMinor: monthly.ok ? monthly.minor : 0,
    yearlyPriceMinor: yearly?.ok ? yearly.minor : null,
    trialDays: take<number>('trialDays', count(text(data, 'trialDays'), 730, false) ?? 0),
    entitlements: {
      agents: take<number | null>('agents', count(text(data, 'agents'), 1_000_000, true)),
      seats: take<number | null>('seats', count(text(data, 'seats'), 1_000_000, true)),
      channels: data.getAll('channels').map(String),
      features: data.getAll('features').map(String),
      allowances: allowances as Entitlements['allowances'],
    },
  };
  return { body, errors };
}

/** The API's field paths (body.entitlements.agents) -> the form's field names (agents). */
export function formField(path: string): string {
  const last = path.split('.').at(-1) ?? '';
  return ({ monthlyPriceMinor: 'monthlyPrice', yearlyPriceMinor: 'yearlyPrice' } as Record<string, string>)[last] ?? last;
}
