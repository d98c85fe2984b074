/** Sends transactional e-mail (invitations, password resets). */
export type MailMessage = { to: string; subject: string; text: string; html?: string };

export interface MailPort {
  /** false when no mail transport is configured: callers then choose a safe fallback. */
  readonly canDeliver: boolean;
  send(message: MailMessage): Promise<void>;
}
