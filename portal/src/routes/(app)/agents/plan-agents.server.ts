import { fail, type RequestEvent } from '@sveltejs/kit';
import { planRefusalOf } from '#lib/server/api.js';
import { backendJson, explainFailure } from '../agency/session-api.server.js';
import type { Billing } from '../billing/billing-types.js';

type Event = RequestEvent;
const text = (data: FormData, name: string) => String(data.get(name) ?? '').trim();
const patch = (event: Event, agentId: string, enabled: boolean) =>
  backendJson(event, 'PATCH', `/api/v1/agents/${encodeURIComponent(agentId)}`, { enabled });
const refused = (err: unknown) => fail(explainFailure(err).status, { action: 'planAgents', errors: { form: explainFailure(err).message }, planRefusal: planRefusalOf(err) });

/** The tenant's plan as the Agents page needs it; null when the viewer may not read billing (members) or it fails. */
export async function loadPlanBilling(event: Event): Promise<Pick<Billing, 'subscription' | 'entitlements'> | null> {
  try {
    const { subscription, entitlements } = await backendJson<Billing>(event, 'GET', '/api/v1/billing');
    return { subscription, entitlements };
  } catch {
    return null;
  }
}

/** Switch one agent on or off from the plan card; at the plan's limit switching on is the API's 402, shown with its sentence. */
export async function switchAgent(event: Event) {
  const data = await event.request.formData();
  const on = text(data, 'enabled') === 'true';
  try {
    await patch(event, text(data, 'agentId'), on);
  } catch (err) {
    return refused(err);
  }
  return { action: 'planAgents', done: on ? 'Switched on.' : 'Switched off. It keeps its knowledge and history.' };
}

/** One step at the limit: switch `offId` off, then `onId` on; if the second is refused, the first goes back on. */
export async function swapAgents(event: Event) {
  const data = await event.request.formData();
  const offId = text(data, 'offId');
  const onId = text(data, 'onId');
  if (!offId || offId === onId) return fail(400, { action: 'planAgents', errors: { form: 'Choose which active agent to switch off.' }, planRefusal: null });
  try {
    await patch(event, offId, false);
  } catch (err) {
    return refused(err);
  }
  try {
    await patch(event, onId, true);
  } catch (err) {
    await patch(event, offId, true).catch(() => undefined);
    return refused(err);
  }
  return { action: 'planAgents', done: 'Swapped: the chosen agent is on, the other is paused.' };
}
