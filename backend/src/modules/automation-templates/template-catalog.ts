/** The messages the shipped n8n workflows send, with the defaults they use until a tenant writes its own. */
export const TEMPLATE_CATALOG = {
  missed_call: {
    label: 'Missed call text-back',
    usedBy: 'sb-after-call-followup: WhatsApp first (an approved template), then SMS with this text',
    text: 'Hi! Sorry we missed your call just now. How can we help? Reply to this message and we will get back to you shortly.',
    whatsappTemplate: 'missed_call_follow_up' as string | null,
    whatsappLanguage: 'en' as string | null,
  },
  follow_up_second: {
    label: 'Follow-up: second message',
    usedBy: 'sb-followup-sequence, when the contact has not answered the first message',
    text: 'Hi again! Just checking in on our last message. Is there anything we can help you with?',
    whatsappTemplate: null,
    whatsappLanguage: null,
  },
  follow_up_last: {
    label: 'Follow-up: last message',
    usedBy: 'sb-followup-sequence, the final nudge',
    text: "One last note from us: if you'd still like help, simply reply to this message. Otherwise we won't follow up again.",
    whatsappTemplate: null,
    whatsappLanguage: null,
  },
} as const;

export type TemplateKey = keyof typeof TEMPLATE_CATALOG;
export const TEMPLATE_KEYS = Object.keys(TEMPLATE_CATALOG) as TemplateKey[];
