// A small client for end-to-end tests against a real n8n 2.40 started with our bootstrap:
// log in as the env-managed owner, then check that our node types are loaded and that the shipped
// workflows are active. Uses n8n's internal REST API (/rest, login cookie), the same one the editor
// uses; verified against n8n 2.40.7 (see n8n-nodes/README.md, "Verifying a running n8n").
import { setTimeout as sleep } from 'node:timers/promises';

export interface N8nOwner {
	email: string;
	password: string;
}

export interface N8nWorkflowSummary {
	id: string;
	name: string;
	active: boolean;
	activeVersionId: string | null;
	isArchived: boolean;
	nodes: Array<{ name: string; type: string; typeVersion: number }>;
}

export class N8nRequestError extends Error {
	constructor(
		readonly status: number,
		readonly path: string,
		readonly body: string,
	) {
		super(`n8n answered ${path} with HTTP ${status}: ${body.slice(0, 300)}`);
	}
}

export class N8nClient {
	private constructor(
		readonly baseUrl: string,
		private readonly authCookie: string,
	) {}

	/** POST /rest/login {emailOrLdapLoginId, password}; keeps the `n8n-auth` cookie it sets. */
	static async login(baseUrl: string, owner: N8nOwner): Promise<N8nClient> {
		const response = await fetch(`${trimSlash(baseUrl)}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (!response.ok) {
			throw new N8nRequestError(response.status, '/rest/login', await response.text());
		}
		const cookie = response.headers
			.getSetCookie()
			.map((header) => header.split(';')[0])
			.find((pair) => pair?.startsWith('n8n-auth='));
		if (!cookie) throw new Error('n8n login succeeded but set no n8n-auth cookie');
		return new N8nClient(trimSlash(baseUrl), cookie);
	}

	/**
	 * True when n8n knows the node type, e.g. `CUSTOM.switchboard`.
	 * POST /rest/node-types {nodeInfos:[{name, version}]} answers the description, or an error
	 * "Unrecognized node type: ..." when the type is not loaded.
	 */
	async isNodeTypeLoaded(type: string, version = 1): Promise<boolean> {
		const response = await this.send('POST', '/rest/node-types', {
			nodeInfos: [{ name: type, version }],
		});
		const text = await response.text();
		if (response.ok) {
			const { data } = JSON.parse(text) as { data: Array<{ name: string }> };
			return data.length === 1 && type.endsWith(`.${data[0]!.name}`);
		}
		if (text.includes('Unrecognized node type')) return false;
		throw new N8nRequestError(response.status, '/rest/node-types', text);
	}

	/** GET /rest/credentials/:id?includeData=true; secrets come back blanked, plain fields readable. */
	async getCredential(
		id: string,
	): Promise<{ id: string; name: string; type: string; data?: Record<string, unknown> } | null> {
		const response = await this.send('GET', `/rest/credentials/${id}?includeData=true`);
		if (response.status === 404) return null;
		return await dataOf(response, '/rest/credentials/:id');
	}

	/**
	 * The editor's "Test" button: POST /rest/credentials/test with the stored (blanked) credential; n8n
	 * merges the stored secrets back and runs the credential type's test request.
	 */
	async testCredential(id: string): Promise<{ status: string; message: string }> {
		const credential = await this.getCredential(id);
		if (!credential) throw new N8nRequestError(404, '/rest/credentials/:id', `no credential ${id}`);
		const { name, type, data } = credential;
		const response = await this.send('POST', '/rest/credentials/test', { credentials: { id, name, type, data } });
		return await dataOf(response, '/rest/credentials/test');
	}

	/** GET /rest/workflows/:id, or null when there is no such workflow. */
	async getWorkflow(id: string): Promise<N8nWorkflowSummary | null> {
		const response = await this.send('GET', `/rest/workflows/${id}`);
		if (response.status === 404) return null;
		return await dataOf(response, '/rest/workflows/:id');
	}

	/** Ids of every workflow n8n has (GET /rest/workflows), to check nothing was duplicated. */
	async listWorkflowIds(): Promise<string[]> {
		const response = await this.send('GET', '/rest/workflows');
		const workflows = await dataOf<Array<{ id: string }>>(response, '/rest/workflows');
		return workflows.map((workflow) => workflow.id);
	}

	/**
	 * Published and running: listed by GET /rest/active-workflows (active in the database minus
	 * those with an activation error) and GET /rest/active-workflows/error/:id answers null.
	 * It does NOT prove the workflow's node types are loaded: check isNodeTypeLoaded too.
	 */
	async isWorkflowActive(id: string): Promise<boolean> {
		const active = await dataOf<string[]>(
			await this.send('GET', '/rest/active-workflows'),
			'/rest/active-workflows',
		);
		if (!active.includes(id)) return false;
		const activationError = await dataOf<unknown>(
			await this.send('GET', `/rest/active-workflows/error/${id}`),
			'/rest/active-workflows/error/:id',
		);
		return activationError === null;
	}

	/** POST /rest/api-keys; returns the raw key for the public API header X-N8N-API-KEY. */
	async createApiKey(label: string, scopes: string[]): Promise<string> {
		const response = await this.send('POST', '/rest/api-keys', { label, scopes, expiresAt: null });
		const { rawApiKey } = await dataOf<{ rawApiKey: string }>(response, '/rest/api-keys');
		return rawApiKey;
	}

	private async send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
		return await fetch(`${this.baseUrl}${path}`, {
			method,
			headers: {
				cookie: this.authCookie,
				...(body === undefined ? {} : { 'content-type': 'application/json' }),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
	}
}

/**
 * Waits until n8n serves /healthz with 200 and then accepts the owner's login (which happens a
 * few seconds later: /healthz answers before the REST API is mounted), and returns a logged-in client.
 */
export async function waitForN8n(
	baseUrl: string,
	owner: N8nOwner,
	{ timeoutMs = 90_000, intervalMs = 500 } = {},
): Promise<N8nClient> {
	const deadline = Date.now() + timeoutMs;
	let lastProblem = 'no answer yet';
	while (Date.now() < deadline) {
		try {
			const health = await fetch(`${trimSlash(baseUrl)}/healthz`);
			if (health.ok) return await N8nClient.login(baseUrl, owner);
			lastProblem = `/healthz answered ${health.status}`;
		} catch (error) {
			lastProblem = (error as Error).message;
		}
		await sleep(intervalMs);
	}
	throw new Error(`n8n at ${baseUrl} was not ready within ${timeoutMs} ms (${lastProblem})`);
}

async function dataOf<T>(response: Response, path: string): Promise<T> {
	const text = await response.text();
	if (!response.ok) throw new N8nRequestError(response.status, path, text);
	return (JSON.parse(text) as { data: T }).data;
}

function trimSlash(url: string): string {
	return url.replace(/\/+$/, '');
}
