// The local mail catcher `make dev` and `make demo` point SMTP at (tests/fakes/mail): SMTP on 1025, a web page on 1080.
import { MailCatcher } from '../../tests/fakes/mail/index.js';

/** Started unless MAIL_CATCHER=0; undefined (with a note) when its ports are taken, e.g. by another stack's catcher. */
export async function startMailCatcher(ports = { smtp: 1025, web: 1080 }): Promise<MailCatcher | undefined> {
  if (process.env.MAIL_CATCHER === '0') return undefined;
  try {
    return await MailCatcher.start({ smtpPort: ports.smtp, webPort: ports.web });
  } catch (err) {
    console.log(`Mail catcher not started (${err instanceof Error ? err.message : String(err)}): without a mail server, invitation links are shown in the portal.`);
    return undefined;
  }
}
