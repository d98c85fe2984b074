import { z } from 'zod';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { AppError } from '../../http/errors.js';
import type { Principal } from '../auth/principal.js';
import { readSessionToken, type ChatSession } from './chat-session-token.js';
import { postVisitorMessage, readChat, startChatSession, type WebChatDeps } from './web-chat.js';

const PUBLIC = { public: true } as const;
const common = { tag: 'web-chat', scope: 'any', access: PUBLIC } as const;
const sessionToken = z.string().min(20).max(2000);
const chatLine = z.object({ id: z.string(), seq: z.number(), from: z.enum(['visitor', 'business']), text: z.string(), at: z.string() });
const chatFailure = z.object({ at: z.string(), reason: z.string().nullable().describe("llm_<reason>: only for the tenant's signed-in staff"), message: z.string() });

/** The tenant's own people (signed in to it, or agency staff of its agency acting in it) see why a turn failed. */
function isStaffOf(principal: Principal | undefined, session: ChatSession): boolean {
  return !!principal && principal.agencyId === session.agencyId && (principal.tenantId === session.tenantId || !principal.tenantId);
}

function sessionFrom(deps: WebChatDeps, token: string) {
  const session = readSessionToken(deps.encryptionKey, token);
  if (!session) throw new AppError('UNAUTHENTICATED', 'The chat session is invalid or expired: start a new one');
  return session;
}

// The web chat behind the embeddable widget (GET /widget.js). Public: the widget key names the agent,
// then a signed session token (in the body, never in a URL) names the visitor's contact.
export function webChatRoutes(deps: WebChatDeps): RouteSpec[] {
  return [
    defineRoute({ ...common, method: 'post', path: '/api/v1/web-chat/:webKey/sessions', status: 201, summary: 'Start a web chat with an agent (a visitor contact and a session token)',
      params: z.strictObject({ webKey: z.string().regex(/^wk_[A-Za-z0-9_-]{10,60}$/) }),
      body: z.strictObject({ name: z.string().trim().min(1).max(100).optional() }),
      response: z.object({ sessionToken: z.string(), contactId: z.string(), agentName: z.string() }),
      handler: ({ params, body }) => startChatSession(deps, { webKey: params.webKey, name: body.name }) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/web-chat/messages', status: 201, summary: "Send the visitor's message (clientMessageId makes a retry one message)",
      body: z.strictObject({ sessionToken, text: z.string().trim().min(1).max(2000), clientMessageId: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/).optional() }),
      response: chatLine,
      handler: ({ body }) => postVisitorMessage(deps, sessionFrom(deps, body.sessionToken), body) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/web-chat/history', summary: 'The chat so far, or only what came after afterSeq (the widget polls this)',
      body: z.strictObject({ sessionToken, afterSeq: z.number().int().min(0).default(0) }),
      response: z.object({ messages: z.array(chatLine), failure: chatFailure.nullable().describe("The agent's latest turn failed: stop showing \"typing\"") }),
      handler: ({ req, body }) => {
        const session = sessionFrom(deps, body.sessionToken);
        return readChat(deps, session, { afterSeq: body.afterSeq, staff: isStaffOf(req.principal, session) });
      } }),
  ];
}
