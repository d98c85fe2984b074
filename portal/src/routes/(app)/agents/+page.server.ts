import { fail, redirect } from '@sveltejs/kit';
import { ApiError, planRefusalOf } from '#lib/server/api.js';
import { backendJson, explainFailure } from '../agency/session-api.server.js';
import type { Actions, PageServerLoad } from './$types';
import { chatHistory, resetTryChat, sendTryMessage } from './try-chat.server.js';
import { factsFromForm, type Facts } from './facts-form.server.js';
import { CHANNELS } from './agent-channels.js';
import { loadPlanBilling, swapAgents, switchAgent } from './plan-agents.server.js';
import { planAgentsOf } from './plan-agents.js';

export type Agent = {
  id: string; name: string; purpose: string; channels: string[]; enabled: boolean; webKey: string;
  activeVersion: number | null; lastError: string | null; lastErrorAt: string | null;
};
export type Version = { version: number; status: 'draft' | 'active' | 'archived'; facts: Facts; instructions: string; note: string | null; createdAt: string; publishedAt: string | null };
export type Turn = { id: string; status: string; outcome: string | null; inboundCount: number; replyText: string | null; toolCalls: { name: string; ok: boolean }[]; inputTokens: number; outputTokens: number; createdAt: string };
export type Usage = { llmCalls: number; conversations: number; inputTokens: number; outputTokens: number; estimatedCostUsd: number };

const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();

/** The backend refused to switch an agent on because no AI model answers: where to set one up. */
function modelMissing(err: unknown): string | null {
  const details = err instanceof ApiError && err.status === 409 ? (err.details as { reason?: string; settingsPath?: string } | undefined) : undefined;
  return details?.reason?.startsWith('llm_') ? (details.settingsPath ?? '/ai-model') : null;
}

export const load: PageServerLoad = async (event) => {
  try {
    const [{ agents }, planBilling] = await Promise.all([backendJson<{ agents: Agent[] }>(event, 'GET', '/api/v1/agents'), loadPlanBilling(event)]);
    const planAgents = planAgentsOf(planBilling, agents);
    const agent = agents.find((a) => a.id === event.url.searchParams.get('agent')) ?? agents[0] ?? null;
    if (!agent) return { agents, planAgents, agent: null, versions: [], turns: [], usage: null, chat: [], chatFailure: null, widgetOrigin: event.url.origin, loadError: null };
    const base = `/api/v1/agents/${agent.id}` as const;
    const [{ versions }, { turns }, usage, history] = await Promise.all([
      backendJson<{ versions: Version[] }>(event, 'GET', `${base}/versions`),
      backendJson<{ turns: Turn[] }>(event, 'GET', `${base}/turns?limit=15`),
      backendJson<Usage>(event, 'GET', `${base}/usage`),
      chatHistory(event, agent.id),
    ]);
    return { agents, planAgents, agent, versions, turns, usage, chat: history.lines, chatFailure: history.failure, widgetOrigin: event.url.origin, loadError: null };
  } catch (err) {
    return { agents: [], planAgents: null, agent: null, versions: [], turns: [], usage: null, chat: [], chatFailure: null, widgetOrigin: event.url.origin, loadError: explainFailure(err).message };
  }
};

export const actions: Actions = {
  switchAgent,
  swapAgents,
  create: async (event) => {
    const data = await event.request.formData();
    const values = { name: text(data, 'name'), purpose: text(data, 'purpose'), channels: CHANNELS.filter((c) => data.get(`channel-${c}`) === 'on') };
    if (!values.name) return fail(400, { action: 'create', values, errors: { name: 'Give the agent a name customers will see, e.g. Ava.' } });
    let id: string;
    try {
      ({ id } = await backendJson<{ id: string }>(event, 'POST', '/api/v1/agents', values));
    } catch (err) {
      if (!modelMissing(err)) return fail(explainFailure(err).status, { action: 'create', values, errors: { form: explainFailure(err).message }, planRefusal: planRefusalOf(err) });
      // No model answers yet: create it switched off, so its knowledge can be written meanwhile.
      try {
        ({ id } = await backendJson<{ id: string }>(event, 'POST', '/api/v1/agents', { ...values, enabled: false }));
      } catch (again) {
        return fail(explainFailure(again).status, { action: 'create', values, errors: { form: explainFailure(again).message }, planRefusal: planRefusalOf(again) });
      }
      redirect(303, `/agents?agent=${id}&model=missing`);
    }
    redirect(303, `/agents?agent=${id}`);
  },
  settings: async (event) => {
    const data = await event.request.formData();
    const agentId = text(data, 'agentId');
    const body = { enabled: data.get('enabled') === 'on', channels: CHANNELS.filter((c) => data.get(`channel-${c}`) === 'on') };
    try {
      await backendJson(event, 'PATCH', `/api/v1/agents/${encodeURIComponent(agentId)}`, body);
    } catch (err) {
      const errors: Record<string, string> = { form: explainFailure(err).message };
      if (modelMissing(err)) errors.aiModel = modelMissing(err)!;
      return fail(explainFailure(err).status, { action: 'settings', errors, planRefusal: planRefusalOf(err) });
    }
    return { action: 'settings', done: body.enabled ? 'Saved. The agent answers on the channels ticked.' : 'Saved. The agent is switched off.' };
  },
  publish: async (event) => {
    const data = await event.request.formData();
    const agentId = encodeURIComponent(text(data, 'agentId'));
    const parsed = factsFromForm(data);
    if ('errors' in parsed) return fail(400, { action: 'publish', errors: parsed.errors });
    try {
      const draft = await backendJson<{ version: number }>(event, 'POST', `/api/v1/agents/${agentId}/versions`, parsed.body);
      await backendJson(event, 'POST', `/api/v1/agents/${agentId}/versions/${draft.version}/publish`, {});
      return { action: 'publish', done: `Version ${draft.version} is live.` };
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'publish', errors: { form: explainFailure(err).message } });
    }
  },
  rollback: async (event) => {
    const data = await event.request.formData();
    try {
      const back = await backendJson<{ version: number }>(event, 'POST', `/api/v1/agents/${encodeURIComponent(text(data, 'agentId'))}/rollback`, { version: Number(text(data, 'version')) });
      return { action: 'versions', done: `Version ${back.version} is live again.` };
    } catch (err) {
      return fail(explainFailure(err).status, { action: 'versions', errors: { form: explainFailure(err).message } });
    }
  },
  try: async (event) => {
    const data = await event.request.formData();
    const message = text(data, 'message');
    if (!message) return fail(400, { action: 'try', errors: { message: 'Type something a customer might ask.' } });
    return sendTryMessage(event, { agentId: text(data, 'agentId'), webKey: text(data, 'webKey'), message });
  },
  tryReset: async (event) => {
    resetTryChat(event, text(await event.request.formData(), 'agentId'));
    return { action: 'try', done: 'Started a new test conversation.' };
  },
};
