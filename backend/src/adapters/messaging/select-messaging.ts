import type { Config } from '../../config.js';
import type { RunInScope } from '../../db/tenant-scope.js';
import type { LoadCredentials } from '../../modules/outbox/send-outbox-message.js';
import { credentialLoader } from '../../modules/provider-credentials/load-credentials.js';
import type { AdapterEntry } from './registry.js';
import { TwilioMessaging } from './twilio.js';

/**
 * The messaging adapters this installation sends with, and how the pipeline finds a tenant's
 * credentials for them (decrypted per send from provider_credentials; never logged).
 */
export function selectMessaging(config: Config, runInScope: RunInScope): { adapters: AdapterEntry[]; loadCredentials: LoadCredentials } {
  return {
    adapters: [
      { provider: 'twilio', channelDefault: true, port: new TwilioMessaging({ publicUrl: config.publicUrl, apiBaseUrl: config.twilio.apiBaseUrl }) },
    ],
    loadCredentials: credentialLoader({ runInScope, encryptionKey: config.secrets.encryptionKey }),
  };
}
