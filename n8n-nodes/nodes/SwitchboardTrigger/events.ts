import type { INodePropertyOptions } from 'n8n-workflow';

// Event types the backend publishes (backend/src/ports/events.ts). Wildcards are subscription
// patterns: `booking.*` takes every booking event, including ones added later.
export const eventOptions: INodePropertyOptions[] = [
	{
		name: 'Agent Handed Off to a Person',
		value: 'agent.handoff',
		description: 'An AI agent stepped back in a conversation (asked for, looping, or unsure): data.summary says why',
	},
	{
		name: 'Agent Turn Failed',
		value: 'agent.turn_failed',
		description: 'An AI agent could not answer (e.g. the LLM key is wrong or the quota is used up): data.reason',
	},
	{
		name: 'Booking: Any Event',
		value: 'booking.*',
		description: 'Any booking event (created, rescheduled, cancelled, ...)',
	},
	{
		name: 'Call Completed',
		value: 'call.completed',
		description: 'A call was answered and ended',
	},
	{
		name: 'Call Missed',
		value: 'call.missed',
		description: 'A call was not answered (inbound or outbound: check data.direction)',
	},
	{
		name: 'Contact Opted In',
		value: 'contact.opted_in',
		description: 'A contact subscribed again (e.g. replied START)',
	},
	{
		name: 'Contact Opted Out',
		value: 'contact.opted_out',
		description: 'A contact asked not to be messaged any more (e.g. replied STOP)',
	},
	{
		name: 'Message Received',
		value: 'message.received',
		description: 'A contact wrote to the tenant on any channel',
	},
	{
		name: 'Message Status Changed',
		value: 'message.status',
		description: 'An outgoing message was sent, delivered, read, or failed',
	},
	{
		name: 'Payment: Any Event',
		value: 'payment.*',
		description: 'Any payment event (link paid, payment failed, refunded, ...)',
	},
	{
		name: 'Subscription Past Due',
		value: 'subscription.past_due',
		description: "A client business's payment failed: service continues for the agency's grace days",
	},
	{
		name: 'Subscription Recovered',
		value: 'subscription.recovered',
		description: 'A past-due or restricted client business paid: everything is back',
	},
	{
		name: 'Subscription Restricted',
		value: 'subscription.restricted',
		description: 'The grace period ran out (or the subscription is unpaid, canceled or paused): new outbound and AI replies stop',
	},
	{
		name: 'Subscription: Any Event',
		value: 'subscription.*',
		description: 'Any plan or subscription change (assigned, created, updated, past due, restricted, recovered, canceled, ...)',
	},
	{
		name: 'System Alert',
		value: 'system.alert',
		description: 'An alert of the agency opened or resolved (stuck queue, WhatsApp logged out, backup, disk): data.status, data.detail',
	},
	{
		name: 'Tenant Signed Up',
		value: 'tenant.signed_up',
		description: 'A business created its own account through self sign-up (it pays through Stripe Checkout next)',
	},
	{
		name: 'WhatsApp Session Changed',
		value: 'whatsapp.session',
		description: 'The WhatsApp connection of a tenant went up or down',
	},
];

/** True when `type` is taken by one of the patterns (`*` stands for any run of characters). */
export function matchesEventType(patterns: readonly string[], type: string): boolean {
	return patterns.some((pattern) => {
		const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
		return new RegExp(`^${escaped.join('.*')}$`).test(type);
	});
}
