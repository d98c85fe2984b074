// Every feature flag, in code. Overrides (per installation, tenant or user) live in the database.
export type FlagStage = 'alpha' | 'beta' | 'ga';
export type FlagDefinition = { key: string; description: string; stage: FlagStage; defaultEnabled: boolean };

export const FLAGS = [
  { key: 'inbox.unified', description: 'One inbox for WhatsApp, Telegram, SMS and web chat', stage: 'beta', defaultEnabled: false },
  { key: 'voice.agent', description: 'AI voice agent answering phone calls', stage: 'alpha', defaultEnabled: false },
  { key: 'audit.export', description: 'Export the audit trail as CSV/JSON from the portal', stage: 'ga', defaultEnabled: true },
] as const satisfies readonly FlagDefinition[];

export type FlagKey = (typeof FLAGS)[number]['key'];
export const FLAG_KEYS = FLAGS.map((flag) => flag.key) as [FlagKey, ...FlagKey[]];
