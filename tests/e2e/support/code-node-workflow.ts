// A workflow whose Code node must run in n8n's task runner: Webhook → Code (doubles `n` from the body) → the
// webhook answers with the Code node's output. Used to prove the external task runners run Code nodes, natively
// (tests/e2e) and in the compose stack (tests/compose). Created and activated through n8n's public API.
import { randomBytes } from 'node:crypto';

export function codeNodeWorkflow(): { path: string; body: Record<string, unknown> } {
  const path = `sb-runner-check-${randomBytes(6).toString('hex')}`;
  return {
    path,
    body: {
      name: `Task runner check ${path}`,
      settings: { executionOrder: 'v1' },
      nodes: [
        {
          id: 'b1d3a1a0-0000-4000-8000-000000000001', name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0],
          webhookId: `${path}-hook`, parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} },
        },
        {
          id: 'b1d3a1a0-0000-4000-8000-000000000002', name: 'Double', type: 'n8n-nodes-base.code', typeVersion: 2, position: [220, 0],
          parameters: { jsCode: 'return $input.all().map((item) => ({ json: { doubled: item.json.body.n * 2, pid: typeof process === "undefined" ? null : process.pid } }));' },
        },
      ],
      connections: { Webhook: { main: [[{ node: 'Double', type: 'main', index: 0 }]] } },
    },
  };
}

/** Creates and activates the workflow with the public API (X-N8N-API-KEY); returns its production webhook path. */
export async function deployCodeNodeWorkflow(send: (method: string, path: string, body?: unknown) => Promise<{ status: number; text: string }>): Promise<string> {
  const { path, body } = codeNodeWorkflow();
  const created = await send('POST', '/api/v1/workflows', body);
  if (created.status !== 200) throw new Error(`creating the workflow: ${created.status} ${created.text.slice(0, 300)}`);
  const { id } = JSON.parse(created.text) as { id: string };
  const activated = await send('POST', `/api/v1/workflows/${id}/activate`);
  if (activated.status !== 200) throw new Error(`activating the workflow: ${activated.status} ${activated.text.slice(0, 300)}`);
  return path;
}
