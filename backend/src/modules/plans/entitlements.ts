import { z } from 'zod';
import { FLAG_KEYS } from '../feature-flags/flag-registry.js';

// What a plan version includes. The entitlement check (one function, later) reads these; allowances are
// monthly quantities per meter that metering rates usage against. null = unlimited.
export const PLAN_CHANNELS = ['sms', 'voice', 'whatsapp_linked', 'whatsapp_cloud', 'telegram', 'web_chat'] as const;
export type PlanChannel = (typeof PLAN_CHANNELS)[number];

export const ALLOWANCE_METERS = ['sms_segments', 'voice_minutes', 'whatsapp_messages', 'ai_tokens', 'ai_replies'] as const;
export type AllowanceMeter = (typeof ALLOWANCE_METERS)[number];

const count = z.number().int().min(0).max(1_000_000);
const allowance = z.number().int().min(0).max(1_000_000_000_000);

export const entitlementsSchema = z.strictObject({
  agents: count.nullable().describe('AI agents; null = unlimited'),
  seats: count.nullable().describe('Portal users; null = unlimited'),
  channels: z.array(z.enum(PLAN_CHANNELS)).max(PLAN_CHANNELS.length).refine((list) => new Set(list).size === list.length, 'Each channel once'),
  features: z.array(z.enum(FLAG_KEYS)).max(FLAG_KEYS.length).refine((list) => new Set(list).size === list.length, 'Each feature once'),
  allowances: z.strictObject({
    sms_segments: allowance,
    voice_minutes: allowance,
    whatsapp_messages: allowance,
    ai_tokens: allowance,
    ai_replies: allowance,
  }),
});
export type Entitlements = z.infer<typeof entitlementsSchema>;

/** Two entitlement sets mean the same (channel and feature order aside). */
export function sameEntitlements(a: Entitlements, b: Entitlements): boolean {
  // Keys in a fixed order: jsonb hands objects back with its own key order.
  const norm = (e: Entitlements) => JSON.stringify([e.agents, e.seats, [...e.channels].sort(), [...e.features].sort(),
    ALLOWANCE_METERS.map((m) => e.allowances[m])]);
  return norm(a) === norm(b);
}
