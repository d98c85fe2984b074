import nodemailer, { type Transporter } from 'nodemailer';
import type { MailMessage, MailPort } from '../../ports/mail.js';

/** Delivers mail through any SMTP server given as smtp(s)://user:pass@host:port. */
export class SmtpMail implements MailPort {
  readonly canDeliver = true;
  private readonly transport: Transporter;

  constructor(
    smtpUrl: string,
    private readonly from: string,
  ) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(message: MailMessage): Promise<void> {
    await this.transport.sendMail({ from: this.from, ...message });
  }
}
