import type { ProviderStatusUpdate } from '../messages/apply-provider-status.js';
import type { InboundMessage } from '../messages/receive-inbound.js';
import type { CloudAccount } from './cloud-account.js';

/** The `value` of one change in a Cloud API delivery (only the fields we use). */
export type CloudValue = {
  metadata?: { phone_number_id?: string; display_phone_number?: string };
  messages?: { from: string; id: string; timestamp?: string; type: string; text?: { body?: string }; [media: string]: unknown }[];
  statuses?: { id: string; status: string; recipient_id?: string; errors?: { code?: number; title?: string; message?: string }[] }[];
};

const STATUSES: Record<string, ProviderStatusUpdate['status'] | undefined> = { sent: 'sent', delivered: 'delivered', read: 'read', failed: 'failed' };

/**
 * Inbound messages and delivery statuses of one change, for the tenant whose number it names (a change
 * for another phone number id is ignored: the app may serve several numbers). Text bodies are kept;
 * other types (image, audio, location...) arrive with a null body and the raw payload for later use.
 */
export function cloudDelivery(
  value: CloudValue,
  input: { agencyId: string; tenantId: string; account: CloudAccount; receivedAt: Date },
): { inbound: InboundMessage[]; statuses: ProviderStatusUpdate[] } {
  if (value.metadata?.phone_number_id !== input.account.phoneNumberId) return { inbound: [], statuses: [] };
  const scope = { agencyId: input.agencyId, tenantId: input.tenantId };
  const inbound = (value.messages ?? []).map((m) => ({
    ...scope, channel: 'whatsapp' as const, from: `+${m.from.replace(/^\+/, '')}`, to: input.account.displayNumber,
    body: m.type === 'text' ? (m.text?.body ?? '') : null, providerMessageId: m.id, provider: 'whatsapp_cloud',
    receivedAt: m.timestamp ? new Date(Number(m.timestamp) * 1000) : input.receivedAt, raw: m,
  }));
  const statuses = (value.statuses ?? []).flatMap((s) => {
    const status = STATUSES[s.status];
    if (!status) return [];
    const error = s.errors?.[0];
    return [{
      ...scope, provider: 'whatsapp_cloud', providerMessageId: s.id, status,
      errorCode: error?.code !== undefined ? String(error.code) : null, errorMessage: error ? (error.message ?? error.title ?? null) : null, at: input.receivedAt,
    }];
  });
  return { inbound, statuses };
}
