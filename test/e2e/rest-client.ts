// A minimal client for n8n's internal REST API (/rest/...) that keeps the login cookie.
// It never sends a `browser-id` header: n8n only checks that header when the login carried one.

export class N8nRestError extends Error {
	constructor(
		readonly method: string,
		readonly path: string,
		readonly status: number,
		readonly body: string,
	) {
		super(`${method} ${path} -> ${status}: ${body.slice(0, 500)}`);
	}
}

export interface RawResponse {
	status: number;
	headers: Headers;
	text: string;
	json: unknown;
}

const REQUEST_TIMEOUT_MS = 120_000;

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export class N8nRestClient {
	private cookie = '';

	constructor(readonly baseUrl: string) {}

	get authCookie(): string {
		return this.cookie;
	}

	async login(email: string, password: string): Promise<void> {
		const response = await this.raw('POST', '/rest/login', { emailOrLdapLoginId: email, password });
		if (response.status !== 200) {
			throw new N8nRestError('POST', '/rest/login', response.status, response.text);
		}
		const setCookie = response.headers.get('set-cookie') ?? '';
		const match = /n8n-auth=[^;]+/.exec(setCookie);
		if (!match) throw new Error('n8n did not set the n8n-auth cookie on login');
		this.cookie = match[0];
	}

	/** Any request against n8n (REST, webhooks, types); returns status and parsed JSON when there is some. */
	async raw(
		method: string,
		path: string,
		body?: unknown,
		headers: Record<string, string> = {},
	): Promise<RawResponse> {
		const allHeaders: Record<string, string> = { accept: 'application/json', ...headers };
		if (this.cookie) allHeaders.cookie = this.cookie;
		if (body !== undefined) allHeaders['content-type'] = 'application/json';
		const response = await fetch(this.baseUrl + path, {
			method,
			headers: allHeaders,
			body: body === undefined ? undefined : JSON.stringify(body),
			redirect: 'manual',
			signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
		});
		const text = await response.text();
		return { status: response.status, headers: response.headers, text, json: parseJson(text) };
	}

	/** A /rest call that must succeed; returns the `data` member n8n wraps its answers in. */
	async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await this.raw(method, path, body);
		if (response.status < 200 || response.status >= 300) {
			throw new N8nRestError(method, path, response.status, response.text);
		}
		const json = response.json as { data?: T } | undefined;
		return (json && 'data' in json ? json.data : json) as T;
	}
}
