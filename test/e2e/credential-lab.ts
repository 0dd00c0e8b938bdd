/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The credential suites' shared steps: driving the emulator (TikTok) and n8n (credentials, the
// Connect flow, a Webhook → TikTok "Creator: Get Info" proof workflow) and judging the outcome.
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import type { RunningEmulator } from '../emulator';
import type { N8nInstance, WorkflowJson } from './harness';

export const APP = { clientKey: 'emulator-client-key', clientSecret: 'emulator-client-secret' };
export const POSTING_SCOPES = ['user.info.basic', 'video.publish', 'video.upload'];
export const TOKEN_PATH = '/v2/oauth/token/';

export interface LogEntry {
	id: number;
	method: string;
	path: string;
	status: number | string | null;
	headers: Record<string, string>;
	oauth?: { query: string[]; body: string[]; clientKey: string | null; grantType: string | null };
}

export interface EmulatorState {
	lastRequestId: number;
	requests: LogEntry[];
	tokens: Array<{
		access_token: string;
		open_id: string;
		expired: boolean;
		revoked: boolean;
		refresh_tokens: Array<{ token: string; revoked: boolean }>;
	}>;
}

export type CredentialType = 'tikTokOAuth2Api' | 'tikTokRefreshTokenApi';

export interface CredentialRef {
	id: string;
	name: string;
	type: CredentialType;
}

export interface ProofWorkflow {
	id: string;
	path: string;
}

export interface RunOutcome {
	ok: boolean;
	output: string;
	/** The TikTok node's error as n8n stored it: message, then description. */
	error: string;
}

/** Binds the steps to the suite's emulator and n8n (read when a step runs, after beforeAll). */
export function credentialLab(current: () => { emulator: RunningEmulator; n8n: N8nInstance }) {
	async function emulatorCall<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${current().emulator.url}${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`emulator ${method} ${path} -> ${response.status}: ${text}`);
		return JSON.parse(text) as T;
	}

	const emulatorState = () => emulatorCall<EmulatorState>('GET', '/__emulator/state');

	const advanceClock = (seconds: number) => emulatorCall('POST', '/__emulator/clock', { advanceSeconds: seconds });

	async function configureEmulator(settings: object): Promise<void> {
		await emulatorCall('POST', '/__emulator/reset');
		await emulatorCall('POST', '/__emulator/config', { autoApprove: true, ...settings });
	}

	async function logMark(): Promise<number> {
		return (await emulatorState()).lastRequestId;
	}

	async function requestsSince(mark: number): Promise<LogEntry[]> {
		return (await emulatorState()).requests.filter((entry) => entry.id > mark);
	}

	const pathOf = (entry: LogEntry) => entry.path.split('?')[0];

	const refreshesIn = (entries: LogEntry[]) =>
		entries.filter((entry) => pathOf(entry) === TOKEN_PATH && entry.oauth?.grantType !== 'authorization_code');

	/** A token pair issued straight by the emulator, as if obtained outside n8n. */

	function issueTokens(body: Record<string, unknown> = {}) {
		return emulatorCall<{ access_token: string; refresh_token: string; open_id: string }>('POST', '/__emulator/tokens', {
			scopes: POSTING_SCOPES,
			...body,
		});
	}

	async function revokeAtTikTok(token: string): Promise<void> {
		const response = await fetch(`${current().emulator.url}/v2/oauth/revoke/`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ client_key: APP.clientKey, client_secret: APP.clientSecret, token }).toString(),
		});
		expect(response.status).toBe(200);
	}

	/** Masks of the newest access token and the newest refresh token of its grant (the live pair). */

	async function liveTokenMasks(): Promise<{ access: string; refresh: string; openId: string }> {
		const { tokens } = await emulatorState();
		const newest = tokens[tokens.length - 1];
		const refreshTokens = newest.refresh_tokens;
		return { access: newest.access_token, refresh: refreshTokens[refreshTokens.length - 1].token, openId: newest.open_id };
	}

	async function createCredential(type: CredentialType, name: string, data: Record<string, unknown>): Promise<CredentialRef> {
		const created = await current().n8n.rest.request<{ id: string; name: string }>('POST', '/rest/credentials', { name, type, data });
		return { id: created.id, name: created.name, type };
	}

	/** The Connect button, over HTTP: n8n's auth URL, TikTok's consent (auto-approved), n8n's callback. */

	async function connectThroughN8n(credential: CredentialRef): Promise<{ authUrl: URL; callbackHtml: string }> {
		const authUrl = new URL(await current().n8n.rest.request<string>('GET', `/rest/oauth2-credential/auth?id=${credential.id}`));
		const consent = await fetch(authUrl, { redirect: 'manual' });
		expect(consent.status).toBe(302);
		const back = new URL(consent.headers.get('location') ?? '');
		expect(back.origin).toBe(current().n8n.baseUrl);
		const callback = await current().n8n.rest.raw('GET', `${back.pathname}${back.search}`);
		return { authUrl, callbackHtml: callback.text };
	}

	/**
	 * A working credential of either type against the current emulator: OAuth2 connected through
	 * n8n's Connect flow, Refresh Token with a refresh token TikTok just issued.
	 */
	async function readyCredential(type: CredentialType, name: string): Promise<CredentialRef> {
		const apiBaseUrl = current().emulator.url;
		if (type === 'tikTokOAuth2Api') {
			const credential = await createCredential(type, name, { apiBaseUrl, clientId: APP.clientKey, clientSecret: APP.clientSecret });
			expect((await connectThroughN8n(credential)).callbackHtml).toContain('Connection successful');
			return credential;
		}
		const issued = await issueTokens();
		return await createCredential(type, name, {
			apiBaseUrl,
			clientKey: APP.clientKey,
			clientSecret: APP.clientSecret,
			refreshToken: issued.refresh_token,
		});
	}

	const fixture = JSON.parse(
		readFileSync(join(__dirname, 'workflows', 'credential-creator-info.json'), 'utf8'),
	) as WorkflowJson;

	async function creatorInfoWorkflow(credential: CredentialRef): Promise<ProofWorkflow> {
		const path = `credential-proof-${randomUUID()}`;
		const workflow = structuredClone(fixture);
		workflow.name = `${fixture.name} ${credential.id}`;
		for (const node of workflow.nodes) {
			if (node.name === 'Webhook') {
				node.webhookId = randomUUID();
				(node.parameters as Record<string, unknown>).path = path;
			}
			if (node.name === 'TikTok') {
				(node.parameters as Record<string, unknown>).authentication =
					credential.type === 'tikTokOAuth2Api' ? 'oAuth2' : 'refreshToken';
				node.credentials = { [credential.type]: { id: credential.id, name: credential.name } };
			}
		}
		const imported = await current().n8n.importWorkflow(workflow, { activate: true });
		expect(imported.active).toBe(true);
		return { id: imported.id, path };
	}

	async function runProof(workflow: ProofWorkflow): Promise<RunOutcome> {
		const result = await current().n8n.runWebhook(workflow.path);
		if (result.status === 200) return { ok: true, output: result.text, error: '' };
		// The execution is saved right after the webhook answers; wait for it, bounded.
		for (let attempt = 0; attempt < 40; attempt++) {
			const executions = await current().n8n.listExecutions(workflow.id, 1);
			if (executions[0] && executions[0].status !== 'running' && executions[0].status !== 'new') {
				const execution = await current().n8n.getExecution(executions[0].id);
				const nodeError = execution.nodes.TikTok?.error ?? execution.error ?? {};
				const error = [nodeError.message, nodeError.description].filter(Boolean).join(' — ');
				return { ok: false, output: result.text, error };
			}
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`no finished execution of workflow ${workflow.id} after HTTP ${result.status}`);
	}

	function expectCreatorInfo(outcome: RunOutcome): void {
		expect(outcome.error).toBe('');
		expect(outcome.ok).toBe(true);
		expect(outcome.output).toContain('Emulator Creator');
	}

	/** A failure the user can act on: says what to do, and is not a stack trace or a bare status. */

	function expectActionableFailure(outcome: RunOutcome, advice: RegExp): void {
		expect(outcome.ok).toBe(false);
		expect(outcome.error).toMatch(advice);
		expect(outcome.error).not.toMatch(/\n\s+at \S+ \(/);
		expect(outcome.error).not.toMatch(/^(Error|undefined|\[object Object\])$/);
	}


	return {
		emulatorCall,
		emulatorState,
		advanceClock,
		configureEmulator,
		logMark,
		requestsSince,
		pathOf,
		refreshesIn,
		issueTokens,
		revokeAtTikTok,
		liveTokenMasks,
		createCredential,
		connectThroughN8n,
		readyCredential,
		creatorInfoWorkflow,
		runProof,
		expectCreatorInfo,
		expectActionableFailure,
	};
}
