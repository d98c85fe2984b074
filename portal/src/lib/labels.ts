/**
 * What people read instead of our internal names: channels, providers, roles, workflows, statuses.
 * One map, so a page never shows "whatsapp_cloud" or "sb-after-call-followup".
 */
const CHANNELS: Record<string, string> = { sms: 'SMS', whatsapp: 'WhatsApp', telegram: 'Telegram', web: 'Web chat', voice: 'Phone call' };

const PROVIDERS: Record<string, string> = {
  twilio: 'Twilio (SMS and calls)', whatsapp_cloud: 'WhatsApp (Cloud API)', whatsapp_linked: 'WhatsApp (linked phone)', baileys: 'WhatsApp (linked phone)',
  telegram: 'Telegram bot', stripe: 'Stripe payments', google_calendar: 'Google Calendar', openai: 'AI model',
};

const ROLES: Record<string, string> = {
  agency_owner: 'Agency owner', agency_operator: 'Agency operator', tenant_owner: 'Owner', tenant_admin: 'Admin', tenant_member: 'Member',
};

/** Shipped workflows by file name, n8n id and n8n name (whichever a record carries). */
const WORKFLOWS: Record<string, string> = Object.fromEntries(
  ([
    [['sb-after-call-followup', 'sbAfterCall00001', 'Switchboard: missed call follow-up'], 'Missed-call text-back'],
    [['sb-followup-sequence', 'sbFollowupSeq001', 'Switchboard: follow-up sequence'], 'Follow-up messages'],
    [['sb-optout-alert', 'sbOptOutAlert001', 'Switchboard: opt-out alert'], 'Opt-out alert'],
    [['booking-reminder', 'sbBookingRemind1', 'Switchboard: booking reminder'], 'Booking reminders'],
    [['sb-heartbeat', 'sbHeartbeat00001', 'Switchboard: heartbeat'], 'Automation heartbeat'],
    [['sb-automation-errors', 'sbAutomationErr1', 'Switchboard: automation failures'], 'Automation failure report'],
  ] as const).flatMap(([names, label]) => names.map((name) => [name, label])),
);

const STATUSES: Record<string, string> = {
  queued: 'Queued', sending: 'Sending', sent: 'Sent', delivered: 'Delivered', read: 'Read', failed: 'Failed', undelivered: 'Not delivered',
  denied: 'Not allowed', deferred: 'Waiting for sending hours', received: 'Received', missed: 'Missed', answered: 'Answered', completed: 'Completed',
  'no-answer': 'No answer', busy: 'Busy', canceled: 'Cancelled', cancelled: 'Cancelled', 'in-progress': 'In progress', ringing: 'Ringing',
  inbound: 'Incoming', outbound: 'Outgoing', active: 'Active', suspended: 'Suspended', invited: 'Invited', disabled: 'Disabled',
  opted_in: 'Opted in', opted_out: 'Opted out', unknown: 'No record',
};

/** "some_internal-name" → "Some internal name": the last resort for a value no map knows yet. */
export function humanize(value: string): string {
  const words = value.replace(/^(sb-|Switchboard: )/, '').replace(/[_-]+/g, ' ').trim();
  return words ? words[0]!.toUpperCase() + words.slice(1) : value;
}

const lookup = (map: Record<string, string>) => (value: string | null | undefined): string =>
  value ? (map[value] ?? humanize(value)) : '—';

export const channelLabel = lookup(CHANNELS);
export const providerLabel = lookup(PROVIDERS);
export const roleLabel = lookup(ROLES);
export const workflowLabel = lookup(WORKFLOWS);
export const statusLabel = lookup(STATUSES);
