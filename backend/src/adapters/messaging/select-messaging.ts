import type { Config } from '../../config.js';
import type { RunInScope } from '../../db/tenant-scope.js';
import type { LoadCredentials } from '../../modules/outbox/send-outbox-message.js';
import { credentialLoader } from '../../modules/provider-credentials/load-credentials.js';
import type { AdapterEntry } from './registry.js';
import { TwilioMessaging } from './twilio.js';
import { WhatsAppCloudMessaging } from './whatsapp-cloud.js';
import { TelegramMessaging } from './telegram.js';
import { WebChatMessaging } from './web-chat.js';

/**
 * The messaging adapters this installation sends with, and how the pipeline finds a tenant's
 * credentials for them (decrypted per send from provider_credentials; never logged).
 */
export function selectMessaging(config: Config, runInScope: RunInScope): { adapters: AdapterEntry[]; loadCredentials: LoadCredentials } {
  return {
    adapters: [
      { provider: 'twilio', channelDefault: true, port: new TwilioMessaging({ publicUrl: config.publicUrl, apiBaseUrl: config.twilio.apiBaseUrl }) },
      { provider: 'telegram', channelDefault: true, port: new TelegramMessaging({ apiRoot: config.telegram.apiRoot }) },
      { provider: 'whatsapp_cloud', channelDefault: true, port: new WhatsAppCloudMessaging({ graphBaseUrl: config.whatsappCloud.graphBaseUrl }) },
      { provider: 'web_chat', channelDefault: true, port: new WebChatMessaging() },
    ],
    loadCredentials: credentialLoader({ runInScope, encryptionKey: config.secrets.encryptionKey }),
  };
}
