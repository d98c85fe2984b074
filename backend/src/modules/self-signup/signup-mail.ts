import type { MailMessage } from '../../ports/mail.js';

export function verificationMail(input: { to: string; name: string; businessName: string; link: string }): MailMessage {
  return {
    to: input.to,
    subject: 'Confirm your e-mail to finish signing up',
    text: `Hello ${input.name},\n\nConfirm this address to create ${input.businessName}'s account and go on to payment. `
      + `The link works for 24 hours:\n${input.link}\n\nIf you did not sign up, ignore this e-mail: nothing is created until the link is opened.`,
  };
}

/** The address already has an account: the same answer as a new sign-up on the page, and this mail instead of a link. */
export function alreadyRegisteredMail(input: { to: string; signInUrl: string; resetUrl: string }): MailMessage {
  return {
    to: input.to,
    subject: 'You already have an account',
    text: `Someone (hopefully you) tried to sign up with this e-mail address, which already has an account.\n\n`
      + `Sign in: ${input.signInUrl}\nForgot your password? ${input.resetUrl}\n\nIf it was not you, ignore this e-mail: nothing was changed.`,
  };
}
