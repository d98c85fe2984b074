import { z } from 'zod';
import { actorFrom } from '../../http/request-context.js';
import { defineRoute, type RouteSpec } from '../../http/route-registry.js';
import { agentUsage, listAgentTurns, pauseAgentInConversation, releaseAgentInConversation } from '../agent-runtime/agent-oversight.js';
import { getAgentTemplate, setAgentTemplate } from './agent-template.js';
import { createAgent, editAgent, getAgent, listAgents, type AgentDeps } from './manage-agents.js';
import { diffVersions, listVersions, publishVersion, rollBackVersion, saveDraft } from './prompt-versions.js';
import {
  agentIdParams, agentJson, agentListResponse, agentResponse, conversationParams, createAgentBody, diffQuery, draftBody, editAgentBody, pauseBody,
  rollbackBody, templateBody, turnsQuery, versionJson, versionListResponse, versionParams, versionResponse,
} from './schemas.js';

const read = { permission: 'tenant.agents.read' } as const;
const manage = { permission: 'tenant.agents.manage' } as const;
const common = { tag: 'agents', scope: 'tenant' } as const;
const takeover = z.object({ conversationId: z.string(), agentPaused: z.boolean(), pausedUntil: z.string().nullable() });

// AI agents of the caller's tenant: configuration, prompt versions (draft -> publish -> roll back), what
// they did (turns) and what it cost (usage); staff pausing an agent in one conversation.
export function agentRoutes(deps: AgentDeps): RouteSpec[] {
  return [
    defineRoute({ ...common, method: 'get', path: '/api/v1/agents', summary: "The tenant's AI agents", access: read, response: agentListResponse,
      handler: async ({ req }) => ({ agents: (await listAgents(deps, { actor: actorFrom(req) })).map(agentJson) }) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/agents', status: 201, summary: 'Create an agent (it answers once a prompt version is published)',
      access: manage, body: createAgentBody, response: agentResponse,
      handler: async ({ req, body }) => agentJson(await createAgent(deps, { actor: actorFrom(req), fields: body })) }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/agents/:agentId', summary: 'One agent, with its active version and last error', access: read,
      params: agentIdParams, response: agentResponse,
      handler: async ({ req, params }) => agentJson(await getAgent(deps, { actor: actorFrom(req), agentId: params.agentId })) }),
    defineRoute({ ...common, method: 'patch', path: '/api/v1/agents/:agentId', summary: 'Change name, purpose, channels, on/off or behaviour settings',
      access: manage, params: agentIdParams, body: editAgentBody, response: agentResponse,
      handler: async ({ req, params, body }) => agentJson(await editAgent(deps, { actor: actorFrom(req), agentId: params.agentId, fields: body })) }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/agents/:agentId/versions', summary: 'Prompt versions, newest first', access: read,
      params: agentIdParams, response: versionListResponse,
      handler: async ({ req, params }) => ({ versions: (await listVersions(deps, { actor: actorFrom(req), agentId: params.agentId })).map(versionJson) }) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/agents/:agentId/versions', status: 201, summary: 'Save a draft prompt version (business facts and instructions)',
      access: manage, params: agentIdParams, body: draftBody, response: versionResponse,
      handler: async ({ req, params, body }) => versionJson(await saveDraft(deps, { actor: actorFrom(req), agentId: params.agentId, ...body })) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/agents/:agentId/versions/:version/publish', summary: 'Make a version the active one (the previous one is archived)',
      access: manage, params: versionParams, body: z.strictObject({}), response: versionResponse,
      handler: async ({ req, params }) => versionJson(await publishVersion(deps, { actor: actorFrom(req), agentId: params.agentId, version: params.version })) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/agents/:agentId/rollback', summary: 'Back to the previously published version (or the one named)',
      access: manage, params: agentIdParams, body: rollbackBody, response: versionResponse,
      handler: async ({ req, params, body }) => versionJson(await rollBackVersion(deps, { actor: actorFrom(req), agentId: params.agentId, version: body.version })) }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/agents/:agentId/diff', summary: 'Line diff between two versions (facts and instructions)', access: read,
      params: agentIdParams, query: diffQuery,
      response: z.object({ from: z.number(), to: z.number(), lines: z.array(z.object({ op: z.enum(['same', 'added', 'removed']), text: z.string() })) }),
      handler: ({ req, params, query }) => diffVersions(deps, { actor: actorFrom(req), agentId: params.agentId, ...query }) }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/agents/:agentId/turns', summary: 'What the agent did, newest first: outcome, reply, tool calls, tokens', access: read,
      params: agentIdParams, query: turnsQuery,
      handler: async ({ req, params, query }) => ({ turns: await listAgentTurns(deps, { actor: actorFrom(req), agentId: params.agentId, ...query }) }) }),
    defineRoute({ ...common, method: 'get', path: '/api/v1/agents/:agentId/usage', summary: "Tokens and estimated cost of the agent's model calls (per conversation with conversationId)",
      access: read, params: agentIdParams, query: z.strictObject({ conversationId: z.uuid().optional() }),
      handler: ({ req, params, query }) => agentUsage(deps, { actor: actorFrom(req), agentId: params.agentId, conversationId: query.conversationId }) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/conversations/:conversationId/agent/pause', summary: 'A person takes over: the agent stays quiet in this conversation',
      access: { permission: 'tenant.messages.send' }, params: conversationParams, body: pauseBody, response: takeover,
      handler: ({ req, params, body }) => pauseAgentInConversation(deps, { actor: actorFrom(req), conversationId: params.conversationId, ...body }) }),
    defineRoute({ ...common, method: 'post', path: '/api/v1/conversations/:conversationId/agent/release', summary: 'Hand the conversation back to the agent',
      access: { permission: 'tenant.messages.send' }, params: conversationParams, body: z.strictObject({}), response: takeover,
      handler: ({ req, params }) => releaseAgentInConversation(deps, { actor: actorFrom(req), conversationId: params.conversationId }) }),
    defineRoute({ method: 'get', path: '/api/v1/agency/agent-template', tag: 'agents', scope: 'agency', summary: "The agency's base prompt under every agent",
      access: { permission: 'agency.agents.manage' }, response: z.object({ template: z.string(), custom: z.boolean() }),
      handler: ({ req }) => getAgentTemplate(deps, { actor: actorFrom(req) }) }),
    defineRoute({ method: 'put', path: '/api/v1/agency/agent-template', tag: 'agents', scope: 'agency', summary: "Replace the agency's base prompt ({{agentName}}, {{businessName}}, {{channel}}, {{purpose}})",
      access: { permission: 'agency.agents.manage' }, body: templateBody, response: z.object({ template: z.string(), custom: z.boolean() }),
      handler: ({ req, body }) => setAgentTemplate(deps, { actor: actorFrom(req), template: body.template }) }),
  ];
}
