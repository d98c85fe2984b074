import type { MailMessage, MailPort } from '../../src/ports/mail.js';

/** Keeps sent mail in memory so tests can read the links in it. */
export class InMemoryMail implements MailPort {
  readonly canDeliver = true;
  readonly sent: MailMessage[] = [];

  async send(message: MailMessage): Promise<void> {
    this.sent.push(message);
  }

  /** The token in the last link mailed to `to` (query parameter `token`). */
  lastTokenFor(to: string): string | undefined {
    const message = [...this.sent].reverse().find((m) => m.to.toLowerCase() === to.toLowerCase());
    return message?.text.match(/token=([A-Za-z0-9_-]+)/)?.[1];
  }
}
