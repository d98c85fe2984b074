import type { Logger } from '../../logger.js';
import type { MailMessage, MailPort } from '../../ports/mail.js';

/**
 * Used when SMTP_URL is not set. It never delivers: callers see `canDeliver === false` and fall back
 * (invitation links are handed to the inviting admin; password resets only log a warning).
 */
export class UnconfiguredMail implements MailPort {
  readonly canDeliver = false;

  constructor(private readonly logger: Logger) {}

  async send(message: MailMessage): Promise<void> {
    // The body holds single-use links: never log it.
    this.logger.warn({ subject: message.subject }, 'mail not sent: SMTP_URL is not configured');
  }
}
