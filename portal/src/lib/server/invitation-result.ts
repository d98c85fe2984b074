/** What POST /api/v1/invitations answers: the link only when no e-mail went out (shown to the inviter once). */
export type CreatedInvitation = { delivery: 'email' | 'link'; acceptUrl?: string; mailConfigured?: boolean };

/** The confirmation for the inviting admin: "sent" only when an e-mail really went out; otherwise the link to pass on. */
export function invitationOutcome(email: string, created: CreatedInvitation): { done: string; link?: string } {
  if (created.delivery === 'email' || !created.acceptUrl) return { done: `Invitation e-mailed to ${email}.` };
  const why = created.mailConfigured === false
    ? 'E-mail is not configured on this server, so no invitation was sent.'
    : 'The invitation e-mail could not be sent.';
  return { done: `${why} Copy this link and send it to ${email} yourself. It is shown only now.`, link: created.acceptUrl };
}
