// "Try your agent": the portal talks to the agent through the same public web chat API the widget uses,
// server-side (the browser never calls the API); the test visitor's session token lives in a portal cookie.
import { fail, type Cookies } from '@sveltejs/kit';
import { backendJson, explainFailure } from '../agency/session-api.server.js';

type Context = { cookies: Cookies; locals: App.Locals; fetch?: typeof fetch };
export type ChatLine = { id: string; seq: number; from: 'visitor' | 'business'; text: string; at: string };
/** The agent's last turn failed (staff see the reason): the test chat stops "typing" and says why. */
export type ChatFailure = { at: string; reason: string | null; message: string };

const cookieName = (agentId: string) => `sb_try_${agentId.replace(/[^a-f0-9]/gi, '').slice(0, 32)}`;
const COOKIE = { path: '/agents', httpOnly: true, sameSite: 'lax' as const, maxAge: 7 * 86_400 };

export async function chatHistory(context: Context, agentId: string): Promise<{ lines: ChatLine[]; failure: ChatFailure | null }> {
  const sessionToken = context.cookies.get(cookieName(agentId));
  if (!sessionToken) return { lines: [], failure: null };
  try {
    const history = await backendJson<{ messages: ChatLine[]; failure?: ChatFailure | null }>(context, 'POST', '/api/v1/web-chat/history', { sessionToken, afterSeq: 0 });
    return { lines: history.messages, failure: history.failure ?? null };
  } catch {
    context.cookies.delete(cookieName(agentId), COOKIE); // expired or the agent changed: start afresh next time
    return { lines: [], failure: null };
  }
}

export async function sendTryMessage(context: Context, input: { agentId: string; webKey: string; message: string }) {
  try {
    let sessionToken = context.cookies.get(cookieName(input.agentId));
    if (!sessionToken) {
      ({ sessionToken } = await backendJson<{ sessionToken: string }>(context, 'POST', `/api/v1/web-chat/${encodeURIComponent(input.webKey)}/sessions`, { name: 'Portal test chat' }));
      context.cookies.set(cookieName(input.agentId), sessionToken, COOKIE);
    }
    await backendJson(context, 'POST', '/api/v1/web-chat/messages', { sessionToken, text: input.message.slice(0, 2000) });
    return { action: 'try', done: 'Sent. The reply appears below in a few seconds.' };
  } catch (err) {
    return fail(explainFailure(err).status, { action: 'try', errors: { form: explainFailure(err).message } });
  }
}

export function resetTryChat(context: Context, agentId: string): void {
  context.cookies.delete(cookieName(agentId), COOKIE);
}
