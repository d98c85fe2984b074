import type { Config } from '../../config.js';
import type { Logger } from '../../logger.js';
import type { MailPort } from '../../ports/mail.js';
import { SmtpMail } from './smtp-mail.js';
import { UnconfiguredMail } from './unconfigured-mail.js';

export function selectMail(config: Config['mail'], logger: Logger): MailPort {
  return config.smtpUrl ? new SmtpMail(config.smtpUrl, config.from) : new UnconfiguredMail(logger);
}
