export const CHANNELS = ['web', 'whatsapp', 'telegram', 'sms'] as const;
export const CHANNEL_LABEL: Record<string, string> = { web: 'Website chat', whatsapp: 'WhatsApp', telegram: 'Telegram', sms: 'SMS' };
