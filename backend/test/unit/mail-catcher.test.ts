import { expect } from 'chai';
import { MailCatcher } from '../../../tests/fakes/mail/index.js';
import { SmtpMail } from '../../src/adapters/mail/smtp-mail.js';

/** The dev mail catcher (make dev) receives what the real SMTP adapter (nodemailer) sends, and shows it. */
describe('mail catcher (make dev)', () => {
  let catcher: MailCatcher;
  before(async () => {
    catcher = await MailCatcher.start();
  });
  after(() => catcher.close());

  it('when the backend mails an invitation, then the catcher shows it with the whole link, on its web page too', async () => {
    const link = `http://127.0.0.1:3000/invitations/accept?token=${'t'.repeat(120)}`;
    await new SmtpMail(catcher.smtpUrl, 'Switchboard <no-reply@switchboard.local>').send({
      to: 'owner@example.test', subject: "You're invited to Switchboard — join", text: `Accept within 7 days:\n${link}\n.leading dot\n`,
    });
    const mail = catcher.lastTo('owner@example.test');
    expect(mail).to.include({ from: 'no-reply@switchboard.local', subject: "You're invited to Switchboard — join" });
    expect(mail!.text).to.contain(link);
    expect(mail!.text).to.contain('\n.leading dot');
    const page = await (await fetch(catcher.webUrl)).text();
    expect(page).to.contain(`<a href="${link}">`);
    expect(((await (await fetch(`${catcher.webUrl}/mails.json`)).json()) as { mails: unknown[] }).mails).to.have.length(1);
  });
});
