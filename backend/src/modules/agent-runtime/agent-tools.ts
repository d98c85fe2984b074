import type { Transaction } from 'sequelize';
import { z } from 'zod';
import type { ScopedDeps } from '../../db/scoped-deps.js';
import { AppError } from '../../http/errors.js';
import type { EventBus } from '../../ports/events.js';
import type { LlmTool } from '../../ports/llm.js';
import type { Channel } from '../../ports/messaging.js';
import { cancelBooking, createBooking, findFreeSlots, listContactBookings, rescheduleBooking } from '../booking/booking-api.js';
import { recordConsent } from '../consent/record-consent.js';
import { findContact, updateContact } from '../contacts/contact-repository.js';
import type { TenantScope } from '../contacts/contact-scope.js';
import { createPaymentLink } from '../payments/create-payment-link.js';
import type { PaymentDeps } from '../payments/payment-deps.js';
import { instantAt, localDateTime } from '../policy/local-time.js';
import type { ToolCallRecord } from './turn-types.js';

export type ToolContext = {
  deps: ScopedDeps & { events: EventBus; payments?: Omit<PaymentDeps, keyof ScopedDeps> };
  scope: TenantScope;
  agentId: string;
  turnId: string;
  contactId: string;
  conversationId: string;
  channel: Channel;
  timeZone: string;
  now: Date;
};

/** What a tool call changed for the rest of the turn. */
export type ToolEffects = { handedOff?: { reason: string; summary: string }; optedOut?: boolean };

type ToolSpec<S extends z.ZodType> = {
  tool: LlmTool;
  input: S;
  run(context: ToolContext, input: z.infer<S>, effects: ToolEffects): Promise<unknown>;
};

const when = z.string().min(10).max(40);

/** "2026-11-24T10:00" is read in the business's time zone; an explicit offset or Z is taken as given. */
export function parseWhen(text: string, timeZone: string): Date {
  const local = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}))?(?::\d{2}(?:\.\d+)?)?$/.exec(text.trim());
  if (local) {
    const [, y, mo, d, h, mi] = local;
    return instantAt({ year: +y!, month: +mo!, day: +d!, hour: +(h ?? 0), minute: +(mi ?? 0) }, timeZone);
  }
  const parsed = new Date(text);
  if (Number.isNaN(parsed.getTime())) throw new AppError('VALIDATION_FAILED', `Not a date/time: ${text}`);
  return parsed;
}

/** A time as the business says it: local wall time with the weekday, plus the exact instant. */
export function describeTime(instant: Date, timeZone: string): { local: string; iso: string } {
  const l = localDateTime(instant, timeZone);
  const weekday = new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'short' }).format(instant);
  const pad = (n: number) => String(n).padStart(2, '0');
  return { local: `${weekday} ${l.year}-${pad(l.month)}-${pad(l.day)} ${pad(l.hour)}:${pad(l.minute)}`, iso: instant.toISOString() };
}

const inScope = <T>(c: ToolContext, work: (tx: Transaction) => Promise<T>): Promise<T> => c.deps.runInScope(c.scope, work);

const bookingView = (c: ToolContext, b: { id: string; serviceId: string; start: Date; status: string }) =>
  ({ bookingId: b.id, serviceId: b.serviceId, start: describeTime(b.start, c.timeZone), status: b.status });

function spec<S extends z.ZodType>(s: ToolSpec<S>): ToolSpec<S> {
  return s;
}

const TOOLS = [
  spec({
    tool: {
      name: 'find_free_slots',
      description: "Free appointment start times for a service, in the business's local time. Dates like 2026-11-24 or 2026-11-24T09:00.",
      parameters: {
        type: 'object', additionalProperties: false, required: ['serviceId', 'from'],
        properties: {
          serviceId: { type: 'string', description: 'id from the SERVICES list' }, from: { type: 'string' },
          to: { type: 'string', description: 'default: 7 days after from' }, limit: { type: 'integer', minimum: 1, maximum: 10 },
        },
      },
    },
    input: z.object({ serviceId: z.string().uuid(), from: when, to: when.optional(), limit: z.number().int().min(1).max(10).optional() }),
    async run(c, input) {
      const from = new Date(Math.max(parseWhen(input.from, c.timeZone).getTime(), c.now.getTime()));
      const to = input.to ? parseWhen(input.to, c.timeZone) : new Date(from.getTime() + 7 * 86_400_000);
      const slots = await inScope(c, (tx) => findFreeSlots(tx, { tenantId: c.scope.tenantId, serviceId: input.serviceId, from, to, limit: input.limit ?? 5, now: c.now }));
      return { slots: slots.map((slot) => describeTime(slot.start, c.timeZone)) };
    },
  }),
  spec({
    tool: {
      name: 'book_appointment',
      description: 'Book the customer into a free slot (use an iso value from find_free_slots). Fails if the time is taken.',
      parameters: {
        type: 'object', additionalProperties: false, required: ['serviceId', 'start'],
        properties: { serviceId: { type: 'string' }, start: { type: 'string' }, notes: { type: 'string' } },
      },
    },
    input: z.object({ serviceId: z.string().uuid(), start: when, notes: z.string().max(500).optional() }),
    async run(c, input) {
      const start = parseWhen(input.start, c.timeZone);
      // Keyed by turn and slot: a turn re-run after a crash finds its booking instead of booking twice.
      const booking = await inScope(c, (tx) => createBooking(tx, c.deps.events, {
        ...c.scope, serviceId: input.serviceId, contactId: c.contactId, start, source: 'agent', notes: input.notes,
        idempotencyKey: `agent:${c.turnId}:${input.serviceId}:${start.toISOString()}`,
      }));
      return { booked: true, ...bookingView(c, booking) };
    },
  }),
  spec({
    tool: {
      name: 'list_my_appointments',
      description: "The customer's upcoming appointments (ids for rescheduling or cancelling).",
      parameters: { type: 'object', additionalProperties: false, properties: {} },
    },
    input: z.object({}),
    async run(c) {
      const bookings = await inScope(c, (tx) => listContactBookings(tx, { tenantId: c.scope.tenantId, contactId: c.contactId, upcomingOnly: true }));
      return { appointments: bookings.filter((b) => b.status === 'confirmed').map((b) => bookingView(c, b)) };
    },
  }),
  spec({
    tool: {
      name: 'reschedule_appointment',
      description: "Move one of the customer's appointments to a new free start time.",
      parameters: { type: 'object', additionalProperties: false, required: ['bookingId', 'start'], properties: { bookingId: { type: 'string' }, start: { type: 'string' } } },
    },
    input: z.object({ bookingId: z.string().uuid(), start: when }),
    async run(c, input) {
      await ownBooking(c, input.bookingId);
      const booking = await inScope(c, (tx) => rescheduleBooking(tx, c.deps.events, { ...c.scope, bookingId: input.bookingId, start: parseWhen(input.start, c.timeZone) }));
      return { rescheduled: true, ...bookingView(c, booking) };
    },
  }),
  spec({
    tool: {
      name: 'cancel_appointment',
      description: "Cancel one of the customer's appointments.",
      parameters: { type: 'object', additionalProperties: false, required: ['bookingId'], properties: { bookingId: { type: 'string' }, reason: { type: 'string' } } },
    },
    input: z.object({ bookingId: z.string().uuid(), reason: z.string().max(300).optional() }),
    async run(c, input) {
      await ownBooking(c, input.bookingId);
      const booking = await inScope(c, (tx) => cancelBooking(tx, c.deps.events, { ...c.scope, bookingId: input.bookingId, reason: input.reason ?? 'cancelled by the customer in chat' }));
      return { cancelled: true, ...bookingView(c, booking) };
    },
  }),
  spec({
    tool: {
      name: 'update_contact',
      description: 'Save what the customer told you about themselves: name, email, a note, or the lead stage.',
      parameters: {
        type: 'object', additionalProperties: false,
        properties: { name: { type: 'string' }, email: { type: 'string' }, note: { type: 'string' }, leadStage: { type: 'string', enum: ['new', 'contacted', 'qualified', 'booked', 'customer', 'lost'] } },
      },
    },
    input: z.object({
      name: z.string().min(1).max(200).optional(), email: z.string().email().max(254).optional(), note: z.string().max(1000).optional(),
      leadStage: z.enum(['new', 'contacted', 'qualified', 'booked', 'customer', 'lost']).optional(),
    }),
    async run(c, input) {
      const contact = await inScope(c, async (tx) => {
        const current = await findContact(tx, { tenantId: c.scope.tenantId, contactId: c.contactId, forUpdate: true });
        const notes = input.note ? [current?.notes, `[agent] ${input.note}`].filter(Boolean).join('\n').slice(-4000) : undefined;
        return updateContact(tx, { tenantId: c.scope.tenantId, contactId: c.contactId, patch: { name: input.name, email: input.email, leadStage: input.leadStage, notes } });
      });
      return { updated: true, name: contact?.name ?? null, email: contact?.email ?? null, leadStage: contact?.leadStage ?? null };
    },
  }),
  spec({
    tool: {
      name: 'handoff_to_human',
      description: 'Pass the conversation to a person on the team (you stop answering). Give the reason and a short summary for them.',
      parameters: { type: 'object', additionalProperties: false, required: ['reason', 'summary'], properties: { reason: { type: 'string' }, summary: { type: 'string' } } },
    },
    input: z.object({ reason: z.string().min(1).max(300), summary: z.string().min(1).max(2000) }),
    async run(c, input, effects) {
      effects.handedOff = input;
      return { handedOff: true, note: 'Tell the customer a team member will follow up. Do not promise a time.' };
    },
  }),
  spec({
    tool: {
      name: 'opt_out_contact',
      description: 'The customer asked to stop receiving messages: record the opt-out (they get one confirmation, then silence).',
      parameters: { type: 'object', additionalProperties: false, properties: {} },
    },
    input: z.object({}),
    async run(c, _input, effects) {
      await inScope(c, (tx) => recordConsent(tx, c.deps.events, {
        ...c.scope, contactId: c.contactId, channel: c.channel, kind: 'opt_out', source: 'agent', occurredAt: c.now,
        evidence: { turnId: c.turnId, agentId: c.agentId }, origin: { actor: { type: 'system', id: `agent:${c.agentId}` } },
      }));
      effects.optedOut = true;
      return { optedOut: true };
    },
  }),
  spec({
    tool: {
      name: 'send_payment_link',
      description: 'Create a payment link for an amount the BUSINESS FACTS state (never invent a price); the link goes into your reply.',
      parameters: {
        type: 'object', additionalProperties: false, required: ['amountCents', 'currency', 'description'],
        properties: { amountCents: { type: 'integer', minimum: 50 }, currency: { type: 'string' }, description: { type: 'string' } },
      },
    },
    input: z.object({ amountCents: z.number().int().min(50).max(10_000_000), currency: z.string().length(3), description: z.string().min(1).max(250) }),
    async run(c, input) {
      if (!c.deps.payments) throw new AppError('DEPENDENCY_UNAVAILABLE', 'Payments are not available');
      const actor = {
        principal: { kind: 'service' as const, tokenId: `agent:${c.agentId}`, agencyId: c.scope.agencyId, tenantId: c.scope.tenantId, permissions: new Set(['tenant.payments.manage'] as const) },
        requestId: c.turnId, ip: null,
      };
      const { link } = await createPaymentLink({ ...c.deps.payments, runInScope: c.deps.runInScope }, {
        actor, item: { amount: input.amountCents, currency: input.currency.toLowerCase(), description: input.description }, quantity: 1,
        contactId: c.contactId, metadata: { switchboard_agent_id: c.agentId }, idempotencyKey: `agent:${c.turnId}:pay:${input.amountCents}:${input.currency}`,
      });
      return { url: link.url };
    },
  }),
];

async function ownBooking(c: ToolContext, bookingId: string): Promise<void> {
  const bookings = await inScope(c, (tx) => listContactBookings(tx, { tenantId: c.scope.tenantId, contactId: c.contactId }));
  // The model only ever acts on this customer's own appointments, whatever id it was talked into using.
  if (!bookings.some((b) => b.id === bookingId)) throw new AppError('NOT_FOUND', 'No such appointment for this customer');
}

export function agentTools(options: { payments: boolean }): LlmTool[] {
  return TOOLS.filter((t) => options.payments || t.tool.name !== 'send_payment_link').map((t) => t.tool);
}

/** Runs one tool call; every failure becomes a result the model can read (and the record says it failed). */
export async function runToolCall(c: ToolContext, call: { name: string; arguments: string }, effects: ToolEffects): Promise<ToolCallRecord> {
  const found = TOOLS.find((t) => t.tool.name === call.name);
  let args: unknown;
  try {
    args = call.arguments ? JSON.parse(call.arguments) : {};
  } catch {
    return { name: call.name, arguments: call.arguments, ok: false, result: { error: 'The arguments were not valid JSON' } };
  }
  if (!found) return { name: call.name, arguments: args, ok: false, result: { error: `There is no tool named ${call.name}` } };
  const parsed = found.input.safeParse(args);
  if (!parsed.success) {
    return { name: call.name, arguments: args, ok: false, result: { error: 'Invalid arguments', issues: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) } };
  }
  try {
    const result = await (found.run as (c: ToolContext, input: unknown, effects: ToolEffects) => Promise<unknown>)(c, parsed.data, effects);
    return { name: call.name, arguments: parsed.data, ok: true, result };
  } catch (err) {
    if (!(err instanceof AppError)) throw err;
    return { name: call.name, arguments: parsed.data, ok: false, result: { error: err.message, code: err.code } };
  }
}
