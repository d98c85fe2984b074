// Checks on what the agent is about to say, before it is sent. Pure functions: the runtime decides.

const normalize = (text: string) => text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ' ').trim();

/**
 * True when the reply discloses the system prompt: it contains the canary, or a long verbatim run
 * (`minRun` characters, normalised) of the protected text. Short common phrases do not count.
 */
export function leaksPrompt(reply: string, protectedText: string, canary: string, minRun = 60): boolean {
  if (reply.includes(canary)) return true;
  const said = normalize(reply);
  const secret = normalize(protectedText);
  if (said.length < minRun) return false;
  for (let i = 0; i + minRun <= said.length; i += 10) {
    if (secret.includes(said.slice(i, i + minRun))) return true;
  }
  return false;
}

/** The same reply as last time (case, spacing and punctuation aside): a loop, not a conversation. */
export function repeatsLastReply(reply: string, lastReply: string | null): boolean {
  return lastReply !== null && normalize(reply) === normalize(lastReply) && normalize(reply).length > 0;
}

export const FALLBACK_REPLIES = {
  refuseDisclosure: "Sorry, I can't share that. Is there anything I can help you with, like an appointment or a question about our services?",
  checkWithTeam: "Good question. I'll check with the team and get back to you.",
  handedOff: 'Thanks! A member of our team will follow up with you here shortly.',
} as const;
