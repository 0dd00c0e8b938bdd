// Both TikTok credentials inside a real n8n, against the TikTok emulator.
//
// OAuth2: the Connect flow over HTTP (n8n's auth URL → emulator consent → n8n's callback → code
// exchange). Then, for both credential types, a workflow (Webhook → TikTok "Creator: Get Info")
// that must keep working after TikTok's 24 h access-token lifetime, under every emulator setting
// TikTok leaves open: clientKeyIn × refreshRotation × errorStatus. Each cell either works (one
// refresh, persisted, not repeated by the next execution, and the persisted refresh token works a
// day later) or fails with a message that tells the user what to do. The observed matrix is written
// to test-results/e2e/credential-matrix.md. One n8n serves every cell; the emulator is reset
// between cells.
import { randomUUID } from 'crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startEmulator, type RunningEmulator } from '../emulator';
import { maskSecret } from '../emulator/request-log';
import { N8N_START_TIMEOUT_MS, startN8n, type N8nInstance, type WorkflowJson } from './harness';
import { REPO_ROOT } from './package-install';

const APP = { clientKey: 'emulator-client-key', clientSecret: 'emulator-client-secret' };
const POSTING_SCOPES = ['user.info.basic', 'video.publish', 'video.upload'];
const TOKEN_PATH = '/v2/oauth/token/';
const A_DAY_AND_AN_HOUR = 25 * 3600;
const CELL_TIMEOUT_MS = 120_000;

type ClientKeyIn = 'body' | 'body-or-query';
type Rotation = 'stable' | 'rotate' | 'rotate-and-revoke-old';
type ErrorStatus = 'documented' | 200;
interface Cell {
	clientKeyIn: ClientKeyIn;
	refreshRotation: Rotation;
	errorStatus: ErrorStatus;
}

const CELLS: Cell[] = (['body', 'body-or-query'] as ClientKeyIn[]).flatMap((clientKeyIn) =>
	(['stable', 'rotate', 'rotate-and-revoke-old'] as Rotation[]).flatMap((refreshRotation) =>
		(['documented', 200] as ErrorStatus[]).map((errorStatus) => ({ clientKeyIn, refreshRotation, errorStatus })),
	),
);

const label = (cell: Cell) => `clientKeyIn=${cell.clientKeyIn} refreshRotation=${cell.refreshRotation} errorStatus=${cell.errorStatus}`;

// ---------------------------------------------------------------- emulator control

interface LogEntry {
	id: number;
	method: string;
	path: string;
	status: number | string | null;
	headers: Record<string, string>;
	oauth?: { query: string[]; body: string[]; clientKey: string | null; grantType: string | null };
}

interface EmulatorState {
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

let emulator: RunningEmulator;
let n8n: N8nInstance;

async function emulatorCall<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
	const response = await fetch(`${emulator.url}${path}`, {
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
	const response = await fetch(`${emulator.url}/v2/oauth/revoke/`, {
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

// ---------------------------------------------------------------- n8n side

type CredentialType = 'tikTokOAuth2Api' | 'tikTokRefreshTokenApi';
interface CredentialRef {
	id: string;
	name: string;
	type: CredentialType;
}

async function createCredential(type: CredentialType, name: string, data: Record<string, unknown>): Promise<CredentialRef> {
	const created = await n8n.rest.request<{ id: string; name: string }>('POST', '/rest/credentials', { name, type, data });
	return { id: created.id, name: created.name, type };
}

/** The Connect button, over HTTP: n8n's auth URL, TikTok's consent (auto-approved), n8n's callback. */
async function connectThroughN8n(credential: CredentialRef): Promise<{ authUrl: URL; callbackHtml: string }> {
	const authUrl = new URL(await n8n.rest.request<string>('GET', `/rest/oauth2-credential/auth?id=${credential.id}`));
	const consent = await fetch(authUrl, { redirect: 'manual' });
	expect(consent.status).toBe(302);
	const back = new URL(consent.headers.get('location') ?? '');
	expect(back.origin).toBe(n8n.baseUrl);
	const callback = await n8n.rest.raw('GET', `${back.pathname}${back.search}`);
	return { authUrl, callbackHtml: callback.text };
}

interface ProofWorkflow {
	id: string;
	path: string;
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
	const imported = await n8n.importWorkflow(workflow, { activate: true });
	expect(imported.active).toBe(true);
	return { id: imported.id, path };
}

interface RunOutcome {
	ok: boolean;
	output: string;
	/** The TikTok node's error as n8n stored it: message, then description. */
	error: string;
}

async function runProof(workflow: ProofWorkflow): Promise<RunOutcome> {
	const result = await n8n.runWebhook(workflow.path);
	if (result.status === 200) return { ok: true, output: result.text, error: '' };
	// The execution is saved right after the webhook answers; wait for it, bounded.
	for (let attempt = 0; attempt < 40; attempt++) {
		const executions = await n8n.listExecutions(workflow.id, 1);
		if (executions[0] && executions[0].status !== 'running' && executions[0].status !== 'new') {
			const execution = await n8n.getExecution(executions[0].id);
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

// ---------------------------------------------------------------- the 24 h proof

interface PersistenceExpectation {
	credential: CredentialRef;
	access: string;
	refresh: string;
	cell: string;
}

interface MatrixRow {
	credential: string;
	cell: Cell;
	after24h: string;
	refreshes: number;
	nextRunRefreshes: number | '-';
	after48h: string;
	message: string;
}

const persistence: PersistenceExpectation[] = [];
const matrix: MatrixRow[] = [];

/**
 * Runs the workflow a day after its token was issued, again right after, and once more a day
 * later. Returns what happened; asserts the "works" path in full when the first run worked.
 */
async function liveThroughTokenExpiry(credential: CredentialRef, workflow: ProofWorkflow, cell: Cell) {
	await advanceClock(A_DAY_AND_AN_HOUR);
	const beforeDayOne = await logMark();
	const dayOne = await runProof(workflow);
	const dayOneRefreshes = refreshesIn(await requestsSince(beforeDayOne));
	const row: MatrixRow = {
		credential: credential.type,
		cell,
		after24h: dayOne.ok ? 'works' : 'fails',
		refreshes: dayOneRefreshes.length,
		nextRunRefreshes: '-',
		after48h: '-',
		message: dayOne.error,
	};
	matrix.push(row);
	if (!dayOne.ok) return { dayOne, dayOneRefreshes };

	expect(dayOneRefreshes).toHaveLength(1);
	expect(dayOneRefreshes[0].status).toBe(200);

	const beforeNextRun = await logMark();
	const nextRun = await runProof(workflow);
	expectCreatorInfo(nextRun);
	row.nextRunRefreshes = refreshesIn(await requestsSince(beforeNextRun)).length;
	expect(row.nextRunRefreshes).toBe(0);

	// The refresh token n8n stored (rotated or not) must carry the credential through another day.
	await advanceClock(A_DAY_AND_AN_HOUR);
	const beforeDayTwo = await logMark();
	const dayTwo = await runProof(workflow);
	expectCreatorInfo(dayTwo);
	row.after48h = 'works';
	const dayTwoRefreshes = refreshesIn(await requestsSince(beforeDayTwo));
	expect(dayTwoRefreshes.map((entry) => entry.status)).toEqual([200]);

	const live = await liveTokenMasks();
	persistence.push({ credential, access: live.access, refresh: live.refresh, cell: label(cell) });
	return { dayOne, dayOneRefreshes };
}

/** Runs the workflow once and records the outcome as a row of the matrix under `situation`. */
async function runAndRecord(credential: CredentialRef, workflow: ProofWorkflow, situation: string): Promise<RunOutcome> {
	const config = await emulatorCall<Cell>('GET', '/__emulator/config');
	const before = await logMark();
	const outcome = await runProof(workflow);
	matrix.push({
		credential: credential.type,
		cell: { clientKeyIn: config.clientKeyIn, refreshRotation: config.refreshRotation, errorStatus: config.errorStatus },
		after24h: `${situation} → ${outcome.ok ? 'works' : 'fails'}`,
		refreshes: refreshesIn(await requestsSince(before)).length,
		nextRunRefreshes: '-',
		after48h: '-',
		message: outcome.error,
	});
	return outcome;
}

// ---------------------------------------------------------------- suite

beforeAll(async () => {
	emulator = await startEmulator();
	n8n = await startN8n({ name: 'credential-matrix' });
	await n8n.login();
}, N8N_START_TIMEOUT_MS);

afterAll(async () => {
	writeMatrix();
	await n8n?.stop();
	await emulator?.close();
});

describe('TikTok OAuth2 API credential (Connect button) in n8n', () => {
	it.each(CELLS)('connects, then after 24 h: %o', async (cell) => {
		await configureEmulator(cell);
		const credential = await createCredential('tikTokOAuth2Api', `OAuth2 ${label(cell)}`, {
			apiBaseUrl: emulator.url,
			clientId: APP.clientKey,
			clientSecret: APP.clientSecret,
		});

		const beforeConnect = await logMark();
		const { authUrl, callbackHtml } = await connectThroughN8n(credential);
		expect(callbackHtml).toContain('Connection successful');
		expect(authUrl.origin + authUrl.pathname).toBe(`${emulator.url}/v2/auth/authorize/`);
		expect(authUrl.searchParams.get('client_key')).toBe(APP.clientKey);
		expect(authUrl.searchParams.get('scope')).toBe(POSTING_SCOPES.join(','));
		expect(authUrl.searchParams.get('redirect_uri')).toBe(`${n8n.baseUrl}/rest/oauth2-credential/callback`);

		const connectLog = await requestsSince(beforeConnect);
		const authorize = connectLog.filter((entry) => pathOf(entry) === '/v2/auth/authorize/');
		expect(authorize).toHaveLength(1);
		expect(authorize[0].oauth?.query).toContain('client_key');
		expect(authorize[0].oauth?.clientKey).toBe(APP.clientKey);
		const exchange = connectLog.filter((entry) => pathOf(entry) === TOKEN_PATH);
		expect(exchange).toHaveLength(1);
		expect(exchange[0].oauth?.grantType).toBe('authorization_code');
		expect(exchange[0].oauth?.body).toEqual(expect.arrayContaining(['client_key', 'client_secret', 'code', 'redirect_uri']));
		expect(exchange[0].oauth?.clientKey).toBe(APP.clientKey);
		expect(exchange[0].status).toBe(200);

		const workflow = await creatorInfoWorkflow(credential);
		const beforeFirstRun = await logMark();
		expectCreatorInfo(await runProof(workflow));
		expect(refreshesIn(await requestsSince(beforeFirstRun))).toHaveLength(0);

		const { dayOne, dayOneRefreshes } = await liveThroughTokenExpiry(credential, workflow, cell);
		// n8n's own refresh can only name the client `client_id`; the credential adds
		// `client_key` to the token URL's query string, so TikTok must read it there.
		expect(dayOneRefreshes.length).toBeGreaterThanOrEqual(1);
		expect(dayOneRefreshes[0].oauth?.query).toContain('client_key');
		expect(dayOneRefreshes[0].oauth?.body).not.toContain('client_key');
		if (cell.clientKeyIn === 'body-or-query') {
			expectCreatorInfo(dayOne);
		} else {
			// Reconnecting would only last another day: the message must point to the lasting fix.
			expectActionableFailure(dayOne, /Refresh Token/);
		}
	}, CELL_TIMEOUT_MS);
});

describe('TikTok Refresh Token API credential in n8n', () => {
	it.each(CELLS)('after 24 h: %o', async (cell) => {
		await configureEmulator(cell);
		const issued = await issueTokens();
		const credential = await createCredential('tikTokRefreshTokenApi', `Refresh token ${label(cell)}`, {
			apiBaseUrl: emulator.url,
			clientKey: APP.clientKey,
			clientSecret: APP.clientSecret,
			refreshToken: issued.refresh_token,
		});
		const workflow = await creatorInfoWorkflow(credential);

		// First use: no access token stored yet, so n8n asks the credential for one.
		const beforeFirstRun = await logMark();
		expectCreatorInfo(await runProof(workflow));
		const firstRefresh = refreshesIn(await requestsSince(beforeFirstRun));
		expect(firstRefresh).toHaveLength(1);
		expect(firstRefresh[0].oauth?.body).toEqual(
			expect.arrayContaining(['client_key', 'client_secret', 'grant_type', 'refresh_token']),
		);
		expect(firstRefresh[0].oauth?.body).not.toContain('client_id');
		expect(firstRefresh[0].oauth?.grantType).toBe('refresh_token');

		// Persisted: the next execution uses the stored access token.
		const beforeSecondRun = await logMark();
		expectCreatorInfo(await runProof(workflow));
		expect(refreshesIn(await requestsSince(beforeSecondRun))).toHaveLength(0);

		const { dayOne } = await liveThroughTokenExpiry(credential, workflow, cell);
		expectCreatorInfo(dayOne);
	}, CELL_TIMEOUT_MS);
});

describe('when access finally ends, the node says what to do', () => {
	async function connectedOAuth2(name: string): Promise<{ credential: CredentialRef; workflow: ProofWorkflow }> {
		const credential = await createCredential('tikTokOAuth2Api', name, {
			apiBaseUrl: emulator.url,
			clientId: APP.clientKey,
			clientSecret: APP.clientSecret,
		});
		expect((await connectThroughN8n(credential)).callbackHtml).toContain('Connection successful');
		return { credential, workflow: await creatorInfoWorkflow(credential) };
	}

	async function refreshTokenCredential(name: string, refreshToken: string, data: Record<string, unknown> = {}) {
		const credential = await createCredential('tikTokRefreshTokenApi', name, {
			apiBaseUrl: emulator.url,
			clientKey: APP.clientKey,
			clientSecret: APP.clientSecret,
			refreshToken,
			...data,
		});
		return { credential, workflow: await creatorInfoWorkflow(credential) };
	}

	const RECONNECT = /reconnect|connect it again|new refresh token|paste a fresh refresh token/i;

	it('OAuth2: the creator revoked the app → reconnect', async () => {
		await configureEmulator({ clientKeyIn: 'body-or-query' });
		const { credential, workflow } = await connectedOAuth2('OAuth2 revoked');
		expectCreatorInfo(await runProof(workflow));
		const stored = (await n8n.exportCredentials()).find((entry) => entry.id === credential.id);
		const tokenData = stored?.data.oauthTokenData as { refresh_token: string };
		await revokeAtTikTok(tokenData.refresh_token);
		await advanceClock(A_DAY_AND_AN_HOUR);
		const outcome = await runAndRecord(credential, workflow, 'revoked, 25 h later');
		expectActionableFailure(outcome, RECONNECT);
	}, CELL_TIMEOUT_MS);

	it('OAuth2: the refresh token passed its 365 days → reconnect', async () => {
		await configureEmulator({ clientKeyIn: 'body-or-query' });
		const { credential, workflow } = await connectedOAuth2('OAuth2 year-old');
		await advanceClock(366 * 24 * 3600);
		const outcome = await runAndRecord(credential, workflow, '366 days later');
		expectActionableFailure(outcome, RECONNECT);
	}, CELL_TIMEOUT_MS);

	it('OAuth2: video.publish not granted → names the scope', async () => {
		await configureEmulator({ clientKeyIn: 'body-or-query', grantedScopes: ['user.info.basic', 'video.upload'] });
		const { credential, workflow } = await connectedOAuth2('OAuth2 without video.publish');
		const outcome = await runAndRecord(credential, workflow, 'video.publish not granted');
		expectActionableFailure(outcome, /video\.publish/);
	}, CELL_TIMEOUT_MS);

	it('Refresh Token: revoked → asks for a new refresh token', async () => {
		await configureEmulator({});
		const issued = await issueTokens();
		const { credential, workflow } = await refreshTokenCredential('Refresh token revoked', issued.refresh_token);
		await revokeAtTikTok(issued.refresh_token);
		const outcome = await runAndRecord(credential, workflow, 'revoked before first use');
		expectActionableFailure(outcome, RECONNECT);
		expect(outcome.error).toContain('invalid_grant');
	}, CELL_TIMEOUT_MS);

	it('Refresh Token: expired after 365 days, TikTok answering errors with HTTP 200 → same advice', async () => {
		await configureEmulator({ errorStatus: 200 });
		const issued = await issueTokens();
		const { credential, workflow } = await refreshTokenCredential('Refresh token year-old', issued.refresh_token);
		expectCreatorInfo(await runProof(workflow));
		await advanceClock(366 * 24 * 3600);
		const outcome = await runAndRecord(credential, workflow, '366 days later');
		expectActionableFailure(outcome, RECONNECT);
		expect(outcome.error).toContain('invalid_grant');
	}, CELL_TIMEOUT_MS);

	it('Refresh Token: wrong client secret → says so', async () => {
		await configureEmulator({});
		const issued = await issueTokens();
		const { credential, workflow } = await refreshTokenCredential('Refresh token wrong secret', issued.refresh_token, {
			clientSecret: 'not-the-secret',
		});
		const outcome = await runAndRecord(credential, workflow, 'wrong client secret');
		expectActionableFailure(outcome, /Client Key or Client Secret|client secret/i);
		expect(outcome.error).not.toContain('not-the-secret');
	}, CELL_TIMEOUT_MS);

	it('Refresh Token: video.publish not granted → names the scope', async () => {
		await configureEmulator({});
		const issued = await issueTokens({ scopes: ['user.info.basic', 'video.upload'] });
		const { credential, workflow } = await refreshTokenCredential('Refresh token without video.publish', issued.refresh_token);
		expectActionableFailure(await runAndRecord(credential, workflow, 'video.publish not granted'), /video\.publish/);
	}, CELL_TIMEOUT_MS);

	it('Refresh Token: after pasting another account\'s refresh token, the old access token is never used', async () => {
		await configureEmulator({});
		const accountA = await issueTokens({ openId: 'open-id-account-a' });
		const accountB = await issueTokens({ openId: 'open-id-account-b' });
		const { credential, workflow } = await refreshTokenCredential('Refresh token switched', accountA.refresh_token);
		expectCreatorInfo(await runProof(workflow));
		const accountAToken = await liveTokenMasks();
		expect(accountAToken.openId).toBe('open-id-account-a');

		// What the credential dialog does: load the redacted data, change one field, save it back.
		const current = await n8n.rest.request<{ data: Record<string, unknown> }>(
			'GET',
			`/rest/credentials/${credential.id}?includeData=true`,
		);
		await n8n.rest.request('PATCH', `/rest/credentials/${credential.id}`, {
			name: credential.name,
			type: credential.type,
			data: { ...current.data, refreshToken: accountB.refresh_token },
		});

		const beforeRun = await logMark();
		expectCreatorInfo(await runProof(workflow));
		const log = await requestsSince(beforeRun);
		const accountBToken = await liveTokenMasks();
		expect(accountBToken.openId).toBe('open-id-account-b');
		const creatorCalls = log.filter((entry) => pathOf(entry) === '/v2/post/publish/creator_info/query/');
		expect(creatorCalls.map((entry) => entry.headers.authorization)).not.toContain(`Bearer ${accountAToken.access}`);
		const answered = creatorCalls.filter((entry) => entry.status === 200);
		expect(answered.map((entry) => entry.headers.authorization)).toEqual([`Bearer ${accountBToken.access}`]);
	}, CELL_TIMEOUT_MS);
});

describe('the credential dialog\'s Test button', () => {
	/** What the dialog sends: the stored data as n8n hands it out (secrets redacted), plus edits. */
	async function testCredential(credential: CredentialRef) {
		const stored = await n8n.rest.request<{ data: Record<string, unknown> }>(
			'GET',
			`/rest/credentials/${credential.id}?includeData=true`,
		);
		return n8n.rest.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: credential.id, name: credential.name, type: credential.type, data: stored.data },
		});
	}

	it('Refresh Token: passes with a valid refresh token, and explains a revoked one', async () => {
		await configureEmulator({});
		const issued = await issueTokens();
		const credential = await createCredential('tikTokRefreshTokenApi', 'Refresh token under test', {
			apiBaseUrl: emulator.url,
			clientKey: APP.clientKey,
			clientSecret: APP.clientSecret,
			refreshToken: issued.refresh_token,
		});
		const passed = await testCredential(credential);
		expect([passed.status, passed.message]).toEqual(['OK', expect.any(String)]);

		// The test refreshed (and n8n stored the rotated refresh token): revoke the whole grant.
		await revokeAtTikTok(issued.refresh_token);
		const failed = await testCredential(credential);
		expect(failed.status).toBe('Error');
		expect(failed.message).toMatch(/invalid_grant/);
		expect(failed.message).toMatch(/refresh token/i);
		expect(failed.message).not.toContain(issued.refresh_token);
	}, CELL_TIMEOUT_MS);

	// n8n's editor offers no Test button for OAuth2 types (it shows "Account connected"), and the
	// dialog never holds the token. n8n runs the credential's test with the stored data elsewhere;
	// given that data, the test must be a real user-info call with the connected account.
	it('OAuth2: the test is a real user-info call with the connected account', async () => {
		await configureEmulator({ clientKeyIn: 'body-or-query' });
		const credential = await createCredential('tikTokOAuth2Api', 'OAuth2 under test', {
			apiBaseUrl: emulator.url,
			clientId: APP.clientKey,
			clientSecret: APP.clientSecret,
		});
		expect((await connectThroughN8n(credential)).callbackHtml).toContain('Connection successful');
		const stored = (await n8n.exportCredentials()).find((entry) => entry.id === credential.id);
		const beforeTest = await logMark();
		const result = await n8n.rest.request<{ status: string; message: string }>('POST', '/rest/credentials/test', {
			credentials: { id: credential.id, name: credential.name, type: credential.type, data: stored?.data },
		});
		expect([result.status, result.message]).toEqual(['OK', expect.any(String)]);
		const userInfoCalls = (await requestsSince(beforeTest)).filter((entry) => pathOf(entry) === '/v2/user/info/');
		expect(userInfoCalls.map((entry) => entry.status)).toEqual([200]);
	}, CELL_TIMEOUT_MS);
});

describe('persistence', () => {
	it('stored every refreshed token pair in n8n (decrypted export of the credentials)', async () => {
		expect(persistence.length).toBeGreaterThan(0);
		const exported = await n8n.exportCredentials();
		for (const expected of persistence) {
			const stored = exported.find((entry) => entry.id === expected.credential.id);
			expect(stored).toBeDefined();
			const data = stored?.data ?? {};
			const tokens =
				expected.credential.type === 'tikTokOAuth2Api'
					? (data.oauthTokenData as { access_token: string; refresh_token: string })
					: { access_token: data.accessToken as string, refresh_token: data.refreshToken as string };
			expect({ cell: expected.cell, access: maskSecret(tokens.access_token), refresh: maskSecret(tokens.refresh_token) }).toEqual({
				cell: expected.cell,
				access: expected.access,
				refresh: expected.refresh,
			});
		}
	}, CELL_TIMEOUT_MS);
});

function writeMatrix(): void {
	if (matrix.length === 0) return;
	const dir = join(REPO_ROOT, 'test-results', 'e2e');
	mkdirSync(dir, { recursive: true });
	const lines = [
		`# Credential matrix (n8n ${n8n?.install.n8nVersion ?? '?'}, ${new Date().toISOString()})`,
		'',
		'| credential | clientKeyIn | refreshRotation | errorStatus | after 24 h | refreshes | next run refreshes | after 48 h | message |',
		'|---|---|---|---|---|---|---|---|---|',
		...matrix.map((row) =>
			[
				row.credential,
				row.cell.clientKeyIn,
				row.cell.refreshRotation,
				String(row.cell.errorStatus),
				row.after24h,
				String(row.refreshes),
				String(row.nextRunRefreshes),
				row.after48h,
				row.message.replace(/\|/g, '\\|').replace(/\s+/g, ' '),
			].join(' | '),
		).map((line) => `| ${line} |`),
		'',
	];
	writeFileSync(join(dir, 'credential-matrix.md'), lines.join('\n'));
}
