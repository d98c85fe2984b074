// The few calls of n8n's internal REST API (/rest, the editor's API, owner's login cookie) the n8n benchmark
// needs: create and publish a workflow, and read its executions. Verified against n8n 2.40.7
// (workflows.controller: POST /rest/workflows, POST /rest/workflows/:id/activate {versionId};
// executions.controller: GET /rest/executions with a JSON filter, at most 100 per page, newest first).
export type N8nExecution = { id: string; status: string; createdAt: string; startedAt: string | null; stoppedAt: string | null };

export type N8nWorkflowJson = { id: string; name: string; nodes: unknown[]; connections: unknown; settings?: Record<string, unknown> };

/** Every state an execution can end in (n8n's ExecutionStatus minus new/running/waiting). */
export const FINISHED_STATUSES = ['success', 'error', 'crashed', 'canceled'];
const UNFINISHED_STATUSES = ['new', 'running', 'waiting', 'unknown'];

export class N8nRest {
  private constructor(
    readonly baseUrl: string,
    private readonly cookie: string,
  ) {}

  static async login(baseUrl: string, email: string, password: string): Promise<N8nRest> {
    const response = await fetch(`${baseUrl}/rest/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ emailOrLdapLoginId: email, password }),
    });
    if (!response.ok) throw new Error(`n8n login answered ${response.status}: ${(await response.text()).slice(0, 200)}`);
    const cookie = response.headers.getSetCookie().map((header) => header.split(';')[0]!).find((pair) => pair.startsWith('n8n-auth='));
    if (!cookie) throw new Error('n8n login set no n8n-auth cookie');
    return new N8nRest(baseUrl, cookie);
  }

  /** Creates the workflow (with its fixed id) and publishes it, so its webhooks are registered. */
  async importAndActivate(workflow: N8nWorkflowJson): Promise<void> {
    const created = await this.call<{ id: string; versionId: string }>('POST', '/rest/workflows', { ...workflow, active: false });
    await this.call('POST', `/rest/workflows/${created.id}/activate`, { versionId: created.versionId });
  }

  /** Finished executions of the workflow with an id above `afterId`, all pages. */
  async finishedExecutions(workflowId: string, afterId: number): Promise<N8nExecution[]> {
    return await this.executions(workflowId, afterId, FINISHED_STATUSES);
  }

  /** How many executions of the workflow (id above `afterId`) have not finished yet. */
  async unfinishedCount(workflowId: string, afterId: number): Promise<number> {
    return (await this.executions(workflowId, afterId, UNFINISHED_STATUSES)).length;
  }

  /** The highest execution id so far (0 when none): a phase counts only the executions above it. */
  async lastExecutionId(): Promise<number> {
    const page = await this.call<{ results: N8nExecution[] }>('GET', `/rest/executions?limit=1&filter=${encodeURIComponent(JSON.stringify({ status: [...FINISHED_STATUSES, ...UNFINISHED_STATUSES] }))}`);
    return Number(page.results[0]?.id ?? 0);
  }

  /** Why an execution failed: the failing node and n8n's error message (from its stored run data). */
  async executionError(id: string): Promise<string> {
    const execution = await this.call<{ data: string }>('GET', `/rest/executions/${id}`);
    const run = unflatten(JSON.parse(execution.data) as unknown[]) as { resultData?: { error?: { message?: string; description?: string }; lastNodeExecuted?: string } };
    const { error, lastNodeExecuted } = run.resultData ?? {};
    return `${lastNodeExecuted ?? '?'}: ${error?.message ?? 'no error recorded'}${error?.description ? ` (${error.description})` : ''}`.slice(0, 500);
  }

  private async executions(workflowId: string, afterId: number, status: string[]): Promise<N8nExecution[]> {
    const all: N8nExecution[] = [];
    const filter = encodeURIComponent(JSON.stringify({ workflowId, status }));
    for (let lastId: string | undefined; ; ) {
      const range = `&firstId=${afterId}${lastId ? `&lastId=${lastId}` : ''}`;
      const page = await this.call<{ results: N8nExecution[] }>('GET', `/rest/executions?limit=100&filter=${filter}${range}`);
      all.push(...page.results);
      if (page.results.length < 100) return all;
      lastId = page.results.at(-1)!.id;
    }
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`n8n answered ${method} ${path} with ${response.status}: ${text.slice(0, 300)}`);
    return (JSON.parse(text) as { data: T }).data;
  }
}

/** n8n stores run data with `flatted`: a JSON array whose first entry is the root and whose strings are indexes into it. */
function unflatten(entries: unknown[]): unknown {
  const revived = new Map<number, unknown>();
  const revive = (index: number): unknown => {
    if (revived.has(index)) return revived.get(index);
    const value = entries[index];
    if (value === null || typeof value !== 'object') return value;
    const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [] : {};
    revived.set(index, copy);
    for (const [key, item] of Object.entries(value)) (copy as Record<string, unknown>)[key] = typeof item === 'string' ? revive(Number(item)) : item;
    return copy;
  };
  return revive(0);
}
