/** The channels with an opt-in rule, and the compliance texts, in the order the page shows them. */
export const CHANNELS = ['sms', 'whatsapp', 'telegram', 'web'] as const;
export const TEXTS = ['helpText', 'optOutConfirmationText', 'optInConfirmationText'] as const;

export type ConsentRules = Record<string, unknown> & {
  optInRequired: Record<(typeof CHANNELS)[number], boolean>;
  replyWindowHours: number;
  sendingWindow: { start: string; end: string };
  frequencyCap: { count: number; hours: number } | null;
  helpText: string | null;
  optOutConfirmationText: string | null;
  optInConfirmationText: string | null;
};
