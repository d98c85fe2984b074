import { fail } from '@sveltejs/kit';
import { config } from '#lib/server/config.js';
import type { Actions, PageServerLoad } from './$types';
import { backendJson, explainFailure } from '../session-api.server.js';
import type { ServiceState } from './system-health.js';

export type Alert = { id: string; kind: string; subjectKey: string; tenantName: string | null; detail: string; openedAt: string };
export type DeadLetter = {
  kind: string; id: string; tenantId: string | null; tenantName: string | null; summary: string; error: string | null; failedAt: string; attempts: number;
};
export type SystemHealth = {
  generatedAt: string;
  alerts: Alert[];
  services: { name: string; status: ServiceState; detail: string }[];
  queues: { name: string; label: string; pending: number; oldestAgeSeconds: number | null; stuck: boolean }[];
  sendQueues: { channel: string; waiting: number; active: number; delayed: number; failed: number }[] | null;
  deadLetters: DeadLetter[];
  whatsappRescans: { tenantId: string; tenantName: string; state: 'logged_out' | 'qr'; lastError: string | null; since: string }[];
  webhookFailures: { provider: string; failures: number; lastAt: string }[];
  automationFailures: {
    id: string; tenantName: string | null; workflowId: string; workflowName: string | null; executionId: string | null;
    node: string | null; errorMessage: string; occurredAt: string;
  }[];
  disk: { path: string; totalBytes?: number; freeBytes?: number; usedPercent?: number; error?: string };
  backup: { state: string; detail: string; lastSuccessAt?: string | null; file?: string | null; bytes?: number | null };
  version: { app: string; pendingMigrations: string[] | null; detail: string };
  dataError: string | null;
};

export const load: PageServerLoad = async (event) => {
  const n8nEditorUrl = config.n8nEditorUrl ?? null;
  try {
    return { health: await backendJson<SystemHealth>(event, 'GET', '/api/v1/agency/system-health'), loadError: null, n8nEditorUrl };
  } catch (err) {
    const { status, message } = explainFailure(err);
    return { health: null, loadError: status === 403 ? 'Only agency staff can see the system health.' : message, n8nEditorUrl };
  }
};

const KINDS = new Set(['inbound', 'outbox', 'event-delivery']);
const ID = /^[0-9a-zA-Z-]{1,36}$/;
const OUTCOMES: Record<string, string> = {
  retried: 'Put back in its queue: it will be tried again within a minute.',
  already_retried: 'This item was already put back in its queue.',
  discarded: 'Discarded. It will not be tried again.',
  already_discarded: 'This item was already discarded.',
};

async function act(event: Parameters<Actions[string]>[0], action: 'retry' | 'discard') {
  const data = await event.request.formData();
  const kind = String(data.get('kind') ?? '');
  const id = String(data.get('id') ?? '');
  if (!KINDS.has(kind) || !ID.test(id)) return fail(400, { action, id, error: 'That item is not one we know. Reload the page and try again.' });
  try {
    const { outcome } = await backendJson<{ outcome: string }>(event, 'POST', `/api/v1/agency/system-health/dead-letters/${kind}/${id}/${action}`, {});
    return { action, id, done: OUTCOMES[outcome] ?? 'Done.' };
  } catch (err) {
    return fail(explainFailure(err).status, { action, id, error: explainFailure(err).message });
  }
}

export const actions: Actions = {
  retry: (event) => act(event, 'retry'),
  discard: (event) => act(event, 'discard'),
};
