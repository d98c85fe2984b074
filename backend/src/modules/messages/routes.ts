import { idempotencyKeyOf } from '../../http/idempotency-key.js';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { emptyQuery } from '../../http/schemas.js';
import { tenantScopeOf } from '../contacts/contact-scope.js';
import type { MessagingDeps } from './messaging-deps.js';
import { getMessage, listConversations, listDeadLetters, listMessages } from './read-messages.js';
import { requestSend } from './request-send.js';
import {
  conversationIdParams, conversationListView, conversationView, listConversationsQuery, messageDetailView, messageIdParams,
  messageListView, messageView, pageQuery, sendMessageBody,
} from './schemas.js';

const views = (messages: unknown[]) => messages.map((m) => messageView.parse(m));

export function messageRoutes(deps: MessagingDeps): RouteSpec[] {
  return [
    defineRoute({
      method: 'post', path: '/api/v1/messages', tag: 'messages', scope: 'tenant', status: 201,
      summary: 'Send a message (checked by the send policy). Idempotency-Key: the same key returns the same message with 200',
      access: { permission: 'tenant.messages.send' },
      body: sendMessageBody, response: messageView,
      handler: async ({ req, res, body }) => {
        const actor = actorFrom(req);
        const { idempotencyKey: _fromBody, ...request } = body;
        const outcome = await requestSend(deps, tenantScopeOf(actor), {
          ...request,
          idempotencyKey: idempotencyKeyOf(req, body.idempotencyKey),
          source: actor.principal.kind === 'service' ? 'api' : 'user',
        });
        res.status(outcome.created ? 201 : 200).json(messageView.parse(outcome.message));
      },
    }),
    defineRoute({
      method: 'get', path: '/api/v1/messages/dead-letters', tag: 'messages', scope: 'tenant',
      summary: 'Messages the pipeline gave up on (status dead), newest first',
      access: { permission: 'tenant.messages.read' },
      query: pageQuery, response: messageListView,
      handler: async ({ req, query }) => ({ messages: views(await listDeadLetters(deps, { actor: actorFrom(req), ...query })) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/messages/:messageId', tag: 'messages', scope: 'tenant',
      summary: 'A message with its policy decision and status history',
      access: { permission: 'tenant.messages.read' },
      params: messageIdParams, query: emptyQuery, response: messageDetailView,
      handler: async ({ req, params }) => messageDetailView.parse(await getMessage(deps, { actor: actorFrom(req), messageId: params.messageId })),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/conversations', tag: 'messages', scope: 'tenant',
      summary: 'Conversations (contact + channel), most recent first',
      access: { permission: 'tenant.messages.read' },
      query: listConversationsQuery, response: conversationListView,
      handler: async ({ req, query }) => ({ conversations: (await listConversations(deps, { actor: actorFrom(req), ...query })).map((c) => conversationView.parse(c)) }),
    }),
    defineRoute({
      method: 'get', path: '/api/v1/conversations/:conversationId/messages', tag: 'messages', scope: 'tenant',
      summary: "A conversation's messages, oldest first",
      access: { permission: 'tenant.messages.read' },
      params: conversationIdParams, query: pageQuery, response: messageListView,
      handler: async ({ req, params, query }) => ({
        messages: views(await listMessages(deps, { actor: actorFrom(req), conversationId: params.conversationId, ...query })),
      }),
    }),
  ];
}
