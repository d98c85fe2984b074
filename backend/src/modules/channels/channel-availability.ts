import type { ScopedDeps } from '../../db/scoped-deps.js';
import type { Actor } from '../../http/request-context.js';
import { findMessagingSettings } from '../policy/messaging-settings.js';
import { findCredential } from '../provider-credentials/credential-repository.js';
import { findLinkedDevice } from '../whatsapp-linked/linked-device-repository.js';

export type ChannelAvailability = {
  sms: boolean;
  whatsapp: boolean;
  telegram: boolean;
  /** The WhatsApp transport sends would use (the tenant's choice in the messaging settings). */
  whatsappTransport: 'baileys' | 'cloud';
  /** Why each channel is or is not usable, in words for people. */
  details: { sms: string; whatsapp: string; telegram: string };
};

/**
 * Which channels can send for the tenant right now: SMS with a connected Twilio account; WhatsApp through the
 * chosen transport only (a linked phone whose session is open, or a configured Cloud API number); Telegram with
 * a bot. Automations pick a channel from this instead of trying one that cannot work.
 */
export function channelAvailability(deps: ScopedDeps, input: { actor: Actor }): Promise<ChannelAvailability> {
  const scope = { agencyId: input.actor.principal.agencyId, tenantId: input.actor.principal.tenantId! };
  return deps.runInScope(scope, async (tx) => {
    // One transaction, one connection: the reads go one after the other.
    const settings = await findMessagingSettings(tx, scope);
    const twilio = await findCredential(tx, { tenantId: scope.tenantId, provider: 'twilio' });
    const cloud = await findCredential(tx, { tenantId: scope.tenantId, provider: 'whatsapp_cloud' });
    const telegram = await findCredential(tx, { tenantId: scope.tenantId, provider: 'telegram' });
    const device = await findLinkedDevice(tx, scope);
    const transport = settings.whatsappTransport;
    const whatsapp = transport === 'cloud' ? !!cloud : device?.state === 'open';
    const whatsappDetail = transport === 'cloud'
      ? (cloud ? 'WhatsApp Cloud API number connected' : 'No WhatsApp Cloud API number connected')
      : device?.state === 'open' ? 'Linked WhatsApp phone connected'
        : device ? `Linked WhatsApp phone not connected (${device.state.replace('_', ' ')})` : 'No WhatsApp phone linked';
    return {
      sms: !!twilio,
      whatsapp,
      telegram: !!telegram,
      whatsappTransport: transport,
      details: {
        sms: twilio ? 'Twilio account connected' : 'No Twilio account connected',
        whatsapp: whatsappDetail,
        telegram: telegram ? 'Telegram bot connected' : 'No Telegram bot connected',
      },
    };
  });
}
