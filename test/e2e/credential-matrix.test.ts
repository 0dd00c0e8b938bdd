/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Both TikTok credentials inside a real n8n, against the TikTok emulator.
//
// OAuth2: the Connect flow over HTTP (n8n's auth URL → emulator consent → n8n's callback → code
// exchange). Then, for both credential types, a workflow (Webhook → TikTok "Creator: Get Info")
// that must keep working after the access token expires (2 hours since TikTok's November 2026
// policy, the emulator's default), under every emulator setting TikTok leaves open:
// clientKeyIn × refreshRotation × errorStatus. Each cell either works (one refresh, persisted, not
// repeated by the next execution, and the persisted refresh token works at the next expiry) or
// fails with a message that tells the user what to do. Concurrent executions: credential-concurrency. The observed matrix is written
// to test-results/e2e/credential-matrix.md. One n8n serves every cell; the emulator is reset
// between cells.
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startEmulator, type RunningEmulator } from '../emulator';
import { maskSecret } from '../emulator/request-log';
import { credentialLab, APP, POSTING_SCOPES, TOKEN_PATH, type CredentialRef, type ProofWorkflow, type RunOutcome } from './credential-lab';
import { N8N_START_TIMEOUT_MS, startN8n, type N8nInstance } from './harness';
import { REPO_ROOT } from './package-install';

/** Past the access token's 2-hour lifetime (TikTok's November 2026 policy). */
const PAST_EXPIRY = 2 * 3600 + 600;
/** Past the refresh token's 180 days, counted from the first authorization. */
const PAST_REFRESH_LIFETIME = 181 * 24 * 3600;
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

let emulator: RunningEmulator;
let n8n: N8nInstance;
const {
	emulatorCall,
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
	creatorInfoWorkflow,
	runProof,
	expectCreatorInfo,
	expectActionableFailure,
} = credentialLab(() => ({ emulator, n8n }));

// ---------------------------------------------------------------- living through expiry

interface PersistenceExpectation {
	credential: CredentialRef;
	access: string;
	refresh: string;
	cell: string;
}

interface MatrixRow {
	credential: string;
	cell: Cell;
	afterExpiry: string;
	refreshes: number;
	nextRunRefreshes: number | '-';
	afterNextExpiry: string;
	message: string;
}

const persistence: PersistenceExpectation[] = [];
const matrix: MatrixRow[] = [];

/**
 * Runs the workflow past its access token's expiry, again right after, and once more past the next
 * expiry. Returns what happened; asserts the "works" path in full when the first run worked.
 */
async function liveThroughTokenExpiry(credential: CredentialRef, workflow: ProofWorkflow, cell: Cell) {
	await advanceClock(PAST_EXPIRY);
	const beforeDayOne = await logMark();
	const dayOne = await runProof(workflow);
	const dayOneRefreshes = refreshesIn(await requestsSince(beforeDayOne));
	const row: MatrixRow = {
		credential: credential.type,
		cell,
		afterExpiry: dayOne.ok ? 'works' : 'fails',
		refreshes: dayOneRefreshes.length,
		nextRunRefreshes: '-',
		afterNextExpiry: '-',
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

	// The refresh token n8n stored (rotated or not) must carry the credential past the next expiry.
	await advanceClock(PAST_EXPIRY);
	const beforeDayTwo = await logMark();
	const dayTwo = await runProof(workflow);
	expectCreatorInfo(dayTwo);
	row.afterNextExpiry = 'works';
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
		afterExpiry: `${situation} → ${outcome.ok ? 'works' : 'fails'}`,
		refreshes: refreshesIn(await requestsSince(before)).length,
		nextRunRefreshes: '-',
		afterNextExpiry: '-',
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
	it.each(CELLS)('connects, then after the access token expired: %o', async (cell) => {
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
			// Reconnecting would only last another two hours: the message must point to the lasting fix.
			expectActionableFailure(dayOne, /Refresh Token/);
		}
	}, CELL_TIMEOUT_MS);
});

describe('TikTok Refresh Token API credential in n8n', () => {
	it.each(CELLS)('after the access token expired: %o', async (cell) => {
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
		await advanceClock(PAST_EXPIRY);
		const outcome = await runAndRecord(credential, workflow, 'revoked, past expiry');
		expectActionableFailure(outcome, RECONNECT);
	}, CELL_TIMEOUT_MS);

	it('OAuth2: the refresh token passed its 180 days → reconnect', async () => {
		await configureEmulator({ clientKeyIn: 'body-or-query' });
		const { credential, workflow } = await connectedOAuth2('OAuth2 year-old');
		await advanceClock(PAST_REFRESH_LIFETIME);
		const outcome = await runAndRecord(credential, workflow, '181 days later');
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

	it('Refresh Token: expired after 180 days, TikTok answering errors with HTTP 200 → same advice', async () => {
		await configureEmulator({ errorStatus: 200 });
		const issued = await issueTokens();
		const { credential, workflow } = await refreshTokenCredential('Refresh token year-old', issued.refresh_token);
		expectCreatorInfo(await runProof(workflow));
		await advanceClock(PAST_REFRESH_LIFETIME);
		const outcome = await runAndRecord(credential, workflow, '181 days later');
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
		'| credential | clientKeyIn | refreshRotation | errorStatus | after expiry | refreshes | next run refreshes | after the next expiry | message |',
		'|---|---|---|---|---|---|---|---|---|',
		...matrix.map((row) =>
			[
				row.credential,
				row.cell.clientKeyIn,
				row.cell.refreshRotation,
				String(row.cell.errorStatus),
				row.afterExpiry,
				String(row.refreshes),
				String(row.nextRunRefreshes),
				row.afterNextExpiry,
				row.message.replace(/\|/g, '\\|').replace(/\s+/g, ' '),
			].join(' | '),
		).map((line) => `| ${line} |`),
		'',
	];
	writeFileSync(join(dir, 'credential-matrix.md'), lines.join('\n'));
}
