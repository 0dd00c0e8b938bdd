/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// The stack the node's end-to-end suites run on: the TikTok emulator in-process, one real n8n
// with the built package and a TikTok OAuth2 credential pointing at the emulator, and the
// node-*.json workflow fixtures published as webhooks.
import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { startEmulator, type ConfigPatch, type RunningEmulator } from '../emulator';
import { startN8n, type N8nInstance, type StartN8nOptions, type WorkflowJson } from './harness';
import { killGroup } from './n8n-process';

export const CREDENTIAL_ID = 'tiktok-oauth';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface Mark {
	requestId: number;
	postCount: number;
}

export interface NodeStack {
	emulator: RunningEmulator;
	/** The tokens the credential started with: they must never show up in outputs or logs. */
	secrets: string[];
	/** The running n8n (a new instance after crashAndRestart). */
	readonly n8n: N8nInstance;
	/**
	 * Kills n8n (SIGKILL to its whole process group, as a crash or an OOM kill would) and starts it
	 * again on the same database, with the same workflows and credentials.
	 */
	crashAndRestart(): Promise<void>;
	/** Calls the emulator's control API (/__emulator/<path>). */
	control(path: string, body?: unknown, method?: string): Promise<Json>;
	/** Resets the emulator (keeping the credential's tokens valid) and applies settings. */
	reset(config?: ConfigPatch): Promise<void>;
	/** Runs a node-<name>.json workflow through its webhook; returns n8n's HTTP status and items. */
	run(name: string, body?: Record<string, unknown>): Promise<{ status: number; items: Json[]; text: string }>;
	/** The emulator's recorded posts and requests (requests after `since`, a value of mark()). */
	state(since?: number): Promise<{ posts: Json[]; requests: Json[]; lastRequestId: number }>;
	/** Where the emulator's logs stand now: pass it to since() to see what came after. */
	mark(): Promise<Mark>;
	/** Posts created, and requests made to paths starting with `pathPrefix`, after `mark`. */
	since(mark: Mark, pathPrefix?: string): Promise<{ posts: Json[]; requests: Json[] }>;
	stop(): Promise<void>;
}

/** A TikTok OAuth2 credential for the emulator, already connected with the given tokens. */
export function emulatorOAuth2Credential(id: string, name: string, emulatorUrl: string, tokens: Json) {
	return {
		id,
		name,
		type: 'tikTokOAuth2Api',
		data: {
			apiBaseUrl: emulatorUrl,
			clientId: 'emulator-client-key',
			clientSecret: 'emulator-client-secret',
			oauthTokenData: {
				access_token: tokens.access_token,
				refresh_token: tokens.refresh_token,
				expires_in: tokens.expires_in,
				token_type: 'Bearer',
				scope: tokens.scope,
			},
		},
	};
}

export interface NodeStackOptions extends Partial<StartN8nOptions> {
	name: string;
	/**
	 * Starts the n8n the stack drives (default startN8n); the queue-mode suite passes one that starts
	 * PostgreSQL, Redis, a main and workers and returns the main. crashAndRestart always uses startN8n.
	 */
	launch?: (options: StartN8nOptions) => Promise<N8nInstance>;
}

export async function startNodeStack(stackOptions: NodeStackOptions): Promise<NodeStack> {
	const { launch = startN8n, ...options } = stackOptions;
	const emulator = await startEmulator({ port: 0 });
	const control = async (path: string, body?: unknown, method = 'POST'): Promise<Json> => {
		const response = await fetch(`${emulator.url}/__emulator/${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const json = await response.json();
		if (response.status !== 200) throw new Error(`emulator ${path}: ${response.status} ${JSON.stringify(json)}`);
		return json;
	};
	const tokens = await control('tokens', {});
	// The emulator's own reset would also forget the credential's tokens: restore its settings instead.
	const pristineConfig = await control('config', undefined, 'GET');
	let n8n: N8nInstance | undefined;
	try {
		n8n = await launch({
			...options,
			credentials: [emulatorOAuth2Credential(CREDENTIAL_ID, 'TikTok (emulator)', emulator.url, tokens)],
		});
		await n8n.login();
		for (const file of readdirSync(join(__dirname, 'workflows')).filter((f) => /^node-.*\.json$/.test(f))) {
			await n8n.importWorkflow(JSON.parse(readFileSync(join(__dirname, 'workflows', file), 'utf8')) as WorkflowJson);
		}
	} catch (error) {
		await n8n?.stop();
		await emulator.close();
		throw error;
	}
	let server = n8n;
	return {
		emulator,
		secrets: [tokens.access_token, tokens.refresh_token, 'emulator-client-secret'],
		get n8n() {
			return server;
		},
		crashAndRestart: async () => {
			const crashed = server;
			crashed.removeUserFolderOnStop = false;
			killGroup(crashed.process, 'SIGKILL');
			await crashed.stop();
			server = await startN8n({ ...options, name: `${options.name}-restarted`, userFolder: crashed.userFolder });
			server.removeUserFolderOnStop = true;
			await server.login();
		},
		control,
		// Tokens live in the emulator's memory: a reset would void the credential, so keep them.
		reset: async (config?: ConfigPatch) => {
			await control('faults', undefined, 'DELETE');
			await control('config', { ...pristineConfig, ...defaultsForTests, ...(config ?? {}) });
		},
		run: async (name, body = {}) => {
			const result = await server.runWebhook(name, body);
			const items = Array.isArray(result.json) ? result.json : result.json === undefined ? [] : [result.json];
			return { status: result.status, items, text: result.text };
		},
		state: async (since = 0) => await control(`state?since=${since}`, undefined, 'GET'),
		mark: async () => {
			const state = await control('state', undefined, 'GET');
			return { requestId: state.lastRequestId as number, postCount: (state.posts as Json[]).length };
		},
		since: async (mark, pathPrefix = '') => {
			const state = await control(`state?since=${mark.requestId}`, undefined, 'GET');
			return {
				posts: (state.posts as Json[]).slice(mark.postCount),
				requests: (state.requests as Json[]).filter((r) => String(r.path).startsWith(pathPrefix)),
			};
		},
		stop: async () => {
			await server.stop();
			await emulator.close();
		},
	};
}

/**
 * Suites share one emulator, so per-token caps that accumulate across tests are lifted unless a
 * test is about them (it then sets them itself).
 */
const defaultsForTests: ConfigPatch = { rateLimits: false, dailyPostCap: 1000, pendingDraftCap: 1000 };
