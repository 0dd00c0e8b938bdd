// Login Kit OAuth rules (reference §15): authorize, consent, token exchange, refresh, revoke.
import { createHash } from 'crypto';
import {
	advanceClock,
	api,
	configure,
	control,
	form,
	state,
	useEmulator,
	type EmulatorRef,
	type Json,
} from './helpers';

const emulator = useEmulator();

const CLIENT = { client_key: 'emulator-client-key', client_secret: 'emulator-client-secret' };
const REDIRECT = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';

function authorizeUrl(ref: EmulatorRef, params: Record<string, string>): string {
	const query = new URLSearchParams({
		client_key: CLIENT.client_key,
		response_type: 'code',
		scope: 'user.info.basic,video.publish,video.upload',
		redirect_uri: REDIRECT,
		state: 'xyz-state',
		...params,
	});
	for (const [name, value] of Object.entries(params)) if (value === '') query.delete(name);
	return `${ref.url}/v2/auth/authorize/?${query.toString()}`;
}

async function authorize(
	params: Record<string, string> = {},
): Promise<{ status: number; location: URL | null; html: string }> {
	const response = await fetch(authorizeUrl(emulator, params), { redirect: 'manual' });
	const location = response.headers.get('location');
	return {
		status: response.status,
		location: location ? new URL(location) : null,
		html: await response.text(),
	};
}

async function codeFor(
	scope = 'user.info.basic,video.publish,video.upload',
	extra: Record<string, string> = {},
): Promise<string> {
	await configure(emulator, { autoApprove: true });
	const { location } = await authorize({ scope, ...extra });
	return location!.searchParams.get('code')!;
}

async function exchange(code: string, extra: Record<string, string> = {}) {
	return form(emulator, '/v2/oauth/token/', {
		...CLIENT,
		code,
		grant_type: 'authorization_code',
		redirect_uri: REDIRECT,
		...extra,
	});
}

function expectOAuthError(response: { status: number; body: Json }, error: string, status: number) {
	expect(response.status).toBe(status);
	expect(response.body).toEqual({
		error,
		error_description: expect.any(String),
		log_id: expect.any(String),
	});
}

describe('GET /v2/auth/authorize/', () => {
	it('with autoApprove redirects to redirect_uri with code, scopes (plural) and state', async () => {
		await configure(emulator, { autoApprove: true });
		const { status, location } = await authorize();
		expect(status).toBe(302);
		expect(`${location!.origin}${location!.pathname}`).toBe(REDIRECT);
		expect(location!.searchParams.get('code')).toBeTruthy();
		expect(location!.searchParams.get('scopes')).toBe('user.info.basic,video.publish,video.upload');
		expect(location!.searchParams.get('state')).toBe('xyz-state');
	});

	it('without autoApprove serves a consent page with the app name, the scopes and Approve/Deny', async () => {
		const { status, html } = await authorize();
		expect(status).toBe(200);
		expect(html).toContain('n8n TikTok emulator app');
		for (const scope of ['user.info.basic', 'video.publish', 'video.upload'])
			expect(html).toContain(`value="${scope}"`);
		expect(html).toContain('id="approve"');
		expect(html).toContain('id="deny"');
	});

	async function submitConsent(fields: Record<string, string | string[]>) {
		const { html } = await authorize();
		const requestId = /name="request_id" value="([^"]+)"/.exec(html)![1];
		const body = new URLSearchParams({ request_id: requestId });
		for (const [name, value] of Object.entries(fields))
			for (const v of [value].flat()) body.append(name, v);
		const response = await fetch(`${emulator.url}/v2/auth/authorize/consent`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: body.toString(),
			redirect: 'manual',
		});
		return new URL(response.headers.get('location')!);
	}

	it('approving a subset of the scopes grants only that subset (user.info.basic always comes along)', async () => {
		const location = await submitConsent({ decision: 'approve', scope: ['video.upload'] });
		expect(location.searchParams.get('scopes')).toBe('user.info.basic,video.upload');
		const token = await exchange(location.searchParams.get('code')!);
		expect(token.body.scope).toBe('user.info.basic,video.upload');
	});

	it('deny redirects with error=access_denied and the state', async () => {
		const location = await submitConsent({ decision: 'deny' });
		expect(location.searchParams.get('error')).toBe('access_denied');
		expect(location.searchParams.get('state')).toBe('xyz-state');
		expect(location.searchParams.get('code')).toBeNull();
	});

	it('grantedScopes forces a subset for headless tests', async () => {
		await configure(emulator, {
			autoApprove: true,
			grantedScopes: ['user.info.basic', 'video.upload'],
		});
		const { location } = await authorize();
		expect(location!.searchParams.get('scopes')).toBe('user.info.basic,video.upload');
	});

	it('requires client_key: client_id alone gives an error page, no redirect', async () => {
		const { status, location, html } = await authorize({
			client_key: '',
			client_id: CLIENT.client_key,
		});
		expect(status).toBe(400);
		expect(location).toBeNull();
		expect(html).toContain('client_key');
	});

	it('rejects an unknown client_key with an invalid_client page', async () => {
		const { status, html } = await authorize({ client_key: 'someone-else' });
		expect(status).toBe(400);
		expect(html).toContain('invalid_client');
	});

	it('requires an exact registered redirect_uri when the app lists them', async () => {
		await configure(emulator, { autoApprove: true, app: { redirectUris: [REDIRECT] } });
		expect((await authorize()).status).toBe(302);
		const wrong = await authorize({ redirect_uri: `${REDIRECT}/extra` });
		expect(wrong.status).toBe(400);
		expect(wrong.location).toBeNull();
	});

	it('redirects with unsupported_response_type unless response_type=code', async () => {
		await configure(emulator, { autoApprove: true });
		const { location } = await authorize({ response_type: 'token' });
		expect(location!.searchParams.get('error')).toBe('unsupported_response_type');
	});

	it('rejects space-separated and unknown scopes with invalid_scope', async () => {
		await configure(emulator, { autoApprove: true });
		for (const scope of ['user.info.basic video.publish', 'video.delete', '']) {
			const { location } = await authorize({ scope });
			expect(location!.searchParams.get('error')).toBe('invalid_scope');
		}
	});

	it('rejects scopes the app is not approved for with invalid_scope', async () => {
		await configure(emulator, {
			autoApprove: true,
			app: { approvedScopes: ['user.info.basic', 'video.upload'] },
		});
		const { location } = await authorize({ scope: 'user.info.basic,video.publish' });
		expect(location!.searchParams.get('error')).toBe('invalid_scope');
	});

	it('logs the parameter names and the client_key of the authorize request', async () => {
		await configure(emulator, { autoApprove: true });
		await authorize();
		const entry = (await state(emulator)).requests.find((r: Json) =>
			r.path.startsWith('/v2/auth/authorize/'),
		);
		expect(entry.oauth.clientKey).toBe(CLIENT.client_key);
		expect(entry.oauth.query).toEqual(
			expect.arrayContaining(['client_key', 'scope', 'redirect_uri', 'response_type', 'state']),
		);
	});
});

describe('POST /v2/oauth/token/ authorization_code', () => {
	it('exchanges a code for a flat token response with TikTok fields', async () => {
		const response = await exchange(await codeFor());
		expect(response.status).toBe(200);
		expect(response.body).toEqual({
			access_token: expect.stringMatching(/^act\./),
			refresh_token: expect.stringMatching(/^rft\./),
			// TikTok's November 2026 policy: 2 h access, 180 d refresh (reference §15.2).
			expires_in: 7200,
			refresh_expires_in: 15552000,
			open_id: expect.any(String),
			scope: 'user.info.basic,video.publish,video.upload',
			token_type: 'Bearer',
		});
		const info = await api(emulator, '/v2/user/info/?fields=open_id', {
			token: response.body.access_token,
			method: 'GET',
		});
		expect(info.body.data.user.open_id).toBe(response.body.open_id);
	});

	it('accepts a code only once', async () => {
		const code = await codeFor();
		expect((await exchange(code)).status).toBe(200);
		expectOAuthError(await exchange(code), 'invalid_grant', 400);
	});

	it('binds the code to its redirect_uri', async () => {
		const code = await codeFor();
		expectOAuthError(
			await exchange(code, { redirect_uri: 'http://127.0.0.1:9/other' }),
			'invalid_grant',
			400,
		);
	});

	it('expires codes', async () => {
		const code = await codeFor();
		await advanceClock(emulator, 601);
		expectOAuthError(await exchange(code), 'invalid_grant', 400);
	});

	it('fails when only client_id is sent instead of client_key', async () => {
		const code = await codeFor();
		const response = await form(emulator, '/v2/oauth/token/', {
			client_id: CLIENT.client_key,
			client_secret: CLIENT.client_secret,
			code,
			grant_type: 'authorization_code',
			redirect_uri: REDIRECT,
		});
		expectOAuthError(response, 'invalid_request', 400);
		const entry = (await state(emulator)).requests
			.reverse()
			.find((r: Json) => r.path.startsWith('/v2/oauth/token/'));
		expect(entry.oauth.body).toContain('client_id');
		expect(entry.oauth.body).not.toContain('client_key');
		expect(entry.oauth.clientKey).toBeNull();
	});

	it('rejects a wrong client_secret with invalid_client (401)', async () => {
		expectOAuthError(
			await exchange(await codeFor(), { client_secret: 'wrong' }),
			'invalid_client',
			401,
		);
	});

	it('rejects a JSON body: the token endpoint is form-encoded', async () => {
		const response = await fetch(`${emulator.url}/v2/oauth/token/`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({
				...CLIENT,
				code: await codeFor(),
				grant_type: 'authorization_code',
				redirect_uri: REDIRECT,
			}),
		});
		expectOAuthError(
			{ status: response.status, body: await response.json() },
			'invalid_request',
			400,
		);
	});

	it('rejects an unknown grant_type with unsupported_grant_type', async () => {
		const response = await form(emulator, '/v2/oauth/token/', {
			...CLIENT,
			grant_type: 'password',
		});
		expectOAuthError(response, 'unsupported_grant_type', 400);
	});

	it('checks a PKCE code_verifier when the authorize request carried a challenge (hex, as the desktop doc says)', async () => {
		const verifier = 'a'.repeat(43) + '-._~';
		const challenge = createHash('sha256').update(verifier).digest('hex');
		const code = await codeFor(undefined, {
			code_challenge: challenge,
			code_challenge_method: 'S256',
		});
		expectOAuthError(await exchange(code, { code_verifier: 'b'.repeat(43) }), 'invalid_grant', 400);
		expect((await exchange(code, { code_verifier: verifier })).status).toBe(200);
	});

	it('logs which parameters were sent, the client_key value, never the secret', async () => {
		await exchange(await codeFor());
		const log = JSON.stringify((await state(emulator)).requests);
		const entry = (await state(emulator)).requests.find((r: Json) =>
			r.path.startsWith('/v2/oauth/token/'),
		);
		expect(entry.oauth).toEqual({
			query: [],
			body: expect.arrayContaining([
				'client_key',
				'client_secret',
				'code',
				'grant_type',
				'redirect_uri',
			]),
			clientKey: CLIENT.client_key,
			grantType: 'authorization_code',
		});
		expect(log).not.toContain(CLIENT.client_secret);
	});
});

describe('clientKeyIn setting', () => {
	async function exchangeWithKeyInQuery() {
		const code = await codeFor();
		return form(
			emulator,
			'/v2/oauth/token/',
			{ code, grant_type: 'authorization_code', redirect_uri: REDIRECT },
			CLIENT,
		);
	}

	it('"body" (default): client_key in the query string is not accepted', async () => {
		expectOAuthError(await exchangeWithKeyInQuery(), 'invalid_request', 400);
	});

	it('"body-or-query": client_key in the query string is accepted', async () => {
		await configure(emulator, { clientKeyIn: 'body-or-query' });
		expect((await exchangeWithKeyInQuery()).status).toBe(200);
	});
});

describe('errorStatus setting for OAuth errors', () => {
	it('"200" answers OAuth errors with HTTP 200 and the flat error body', async () => {
		await configure(emulator, { errorStatus: 200 });
		const code = await codeFor();
		await exchange(code);
		expectOAuthError(await exchange(code), 'invalid_grant', 200);
	});
});

async function tokens() {
	return (await exchange(await codeFor())).body as Json;
}

function refresh(refreshToken: string, client = CLIENT) {
	return form(emulator, '/v2/oauth/token/', {
		...client,
		grant_type: 'refresh_token',
		refresh_token: refreshToken,
	});
}

const INFO = '/v2/user/info/?fields=open_id';
const userInfo = (accessToken: string) =>
	api(emulator, INFO, { token: accessToken, method: 'GET' });

describe('refresh_token grant', () => {
	it('by default rotates: a new refresh token, the one used stops working, scopes are kept', async () => {
		const first = await tokens();
		const second = await refresh(first.refresh_token);
		expect(second.status).toBe(200);
		expect(second.body).toMatchObject({ expires_in: 7200, scope: first.scope });
		expect(second.body.refresh_token).not.toBe(first.refresh_token);
		expect(second.body.access_token).not.toBe(first.access_token);
		expectOAuthError(await refresh(first.refresh_token), 'invalid_grant', 400);
		expect((await refresh(second.body.refresh_token)).status).toBe(200);
	});

	it('"rotate" (the pre-2026-11 policy) returns a new refresh token; the old one still works', async () => {
		await configure(emulator, { refreshRotation: 'rotate' });
		const first = await tokens();
		const second = await refresh(first.refresh_token);
		expect(second.body.refresh_token).not.toBe(first.refresh_token);
		expect((await refresh(first.refresh_token)).status).toBe(200);
	});

	it('"stable" returns the same refresh token', async () => {
		await configure(emulator, { refreshRotation: 'stable' });
		const first = await tokens();
		expect((await refresh(first.refresh_token)).body.refresh_token).toBe(first.refresh_token);
	});

	it('refresh tokens expire 180 days after the first grant; refreshing does not extend that', async () => {
		const first = await tokens();
		await advanceClock(emulator, 100 * 86400);
		const second = await refresh(first.refresh_token);
		expect(second.status).toBe(200);
		// The real remaining lifetime (the emulator clock also moves with real time).
		const remaining = 15552000 - 100 * 86400;
		expect(second.body.refresh_expires_in).toBeLessThanOrEqual(remaining);
		expect(second.body.refresh_expires_in).toBeGreaterThan(remaining - 10);
		await advanceClock(emulator, 80 * 86400 + 1);
		expectOAuthError(await refresh(second.body.refresh_token), 'invalid_grant', 400);
	});

	it('tokenPolicy "pre-2026-11" restores 24 h access and 365 d refresh tokens', async () => {
		await configure(emulator, { tokenPolicy: 'pre-2026-11' });
		const first = await tokens();
		expect(first).toMatchObject({ expires_in: 86400, refresh_expires_in: 31536000 });
		await advanceClock(emulator, 300 * 86400);
		expect((await refresh(first.refresh_token)).status).toBe(200);
		await advanceClock(emulator, 65 * 86400 + 1);
		expectOAuthError(await refresh(first.refresh_token), 'invalid_grant', 400);
	});

	it('a refreshed access token works after the first one expired (2 h)', async () => {
		const first = await tokens();
		await advanceClock(emulator, 7201);
		const expired = await userInfo(first.access_token);
		expect([expired.status, expired.body.error.code]).toEqual([401, 'access_token_invalid']);
		const second = await refresh(first.refresh_token);
		expect((await userInfo(second.body.access_token)).status).toBe(200);
	});

	it('rejects an unknown refresh token with invalid_grant', async () => {
		expectOAuthError(await refresh('rft.nope'), 'invalid_grant', 400);
	});
});

describe('refreshTokenReuse: a rotated-out refresh token presented again', () => {
	const outcomes = async () => (await state(emulator)).refreshes.map((r: Json) => r.outcome);

	it('"reject" (default): invalid_grant; the newest refresh token and its access token still work', async () => {
		const first = await tokens();
		const second = (await refresh(first.refresh_token)).body;
		expectOAuthError(await refresh(first.refresh_token), 'invalid_grant', 400);
		expect((await userInfo(second.access_token)).status).toBe(200);
		expect((await refresh(second.refresh_token)).status).toBe(200);
		expect(await outcomes()).toEqual(['ok', 'reused-rejected', 'ok']);
		expect((await state(emulator)).grants).toEqual([
			expect.objectContaining({ revoked: false, revoked_reason: null }),
		]);
	});

	it('"revoke-grant": invalid_grant, and every token of the grant stops working', async () => {
		await configure(emulator, { refreshTokenReuse: 'revoke-grant' });
		const first = await tokens();
		const second = (await refresh(first.refresh_token)).body;
		expect((await userInfo(second.access_token)).status).toBe(200);
		expectOAuthError(await refresh(first.refresh_token), 'invalid_grant', 400);
		expectOAuthError(await refresh(second.refresh_token), 'invalid_grant', 400);
		const info = await userInfo(second.access_token);
		expect([info.status, info.body.error.code]).toEqual([401, 'access_token_invalid']);
		expect(await outcomes()).toEqual(['ok', 'reused-revoked-grant', 'grant-revoked']);
		const after = await state(emulator);
		expect(after.grants).toEqual([
			expect.objectContaining({ revoked: true, revoked_reason: 'refresh-token-reuse' }),
		]);
		expect(after.tokens.every((t: Json) => t.revoked)).toBe(true);
	});

	it('"revoke-grant" revokes only that grant: another authorization keeps working', async () => {
		await configure(emulator, { refreshTokenReuse: 'revoke-grant' });
		const reused = await tokens();
		const other = await tokens();
		await refresh(reused.refresh_token);
		await refresh(reused.refresh_token);
		expect((await userInfo(other.access_token)).status).toBe(200);
		expect((await refresh(other.refresh_token)).status).toBe(200);
	});

	it.each(['rotate', 'stable'] as const)(
		'has no effect under "%s": no token is rotated out',
		async (refreshRotation) => {
			await configure(emulator, { refreshRotation, refreshTokenReuse: 'revoke-grant' });
			const first = await tokens();
			const second = (await refresh(first.refresh_token)).body;
			expect((await refresh(first.refresh_token)).status).toBe(200);
			expect((await userInfo(second.access_token)).status).toBe(200);
			expect(await outcomes()).toEqual(['ok', 'ok']);
		},
	);
});

describe('refresh log and grants in GET /__emulator/state', () => {
	it('records every refresh request with its grant and outcome, without secrets', async () => {
		const first = await tokens();
		await refresh(first.refresh_token);
		await refresh('rft.unknown');
		await refresh(first.refresh_token, { ...CLIENT, client_secret: 'wrong' });
		await refresh('');
		const after = await state(emulator);
		expect(after.refreshes).toEqual([
			{ time: expect.any(String), grantId: 1, outcome: 'ok' },
			{ time: expect.any(String), grantId: null, outcome: 'invalid' },
			{ time: expect.any(String), grantId: null, outcome: 'invalid' },
			{ time: expect.any(String), grantId: null, outcome: 'invalid' },
		]);
		expect(after.grants).toEqual([
			{
				id: 1,
				open_id: first.open_id,
				revoked: false,
				revoked_reason: null,
				refresh_expires_at: expect.any(String),
			},
		]);
		expect(Date.parse(after.grants[0].refresh_expires_at) - Date.parse(after.now)).toBeGreaterThan(
			15552000 * 1000 - 60_000,
		);
		expect(JSON.stringify(after)).not.toContain(first.refresh_token);
	});

	it('keeps the masked tokens summary: the rotated-out refresh token reads revoked', async () => {
		const first = await tokens();
		await refresh(first.refresh_token);
		const [entry] = (await state(emulator)).tokens;
		expect(entry).toMatchObject({ open_id: first.open_id, expired: false, revoked: false });
		expect(entry.refresh_tokens).toEqual([
			{ token: expect.stringContaining('…'), revoked: true },
			{ token: expect.stringContaining('…'), revoked: false },
		]);
	});

	it('an expired refresh token counts as invalid', async () => {
		const first = await tokens();
		await advanceClock(emulator, 15552000);
		await refresh(first.refresh_token);
		expect((await state(emulator)).refreshes).toEqual([
			expect.objectContaining({ grantId: 1, outcome: 'invalid' }),
		]);
	});

	it('is bounded by requestLogLimit and cleared by reset', async () => {
		await configure(emulator, { requestLogLimit: 3 });
		for (let i = 0; i < 5; i++) await refresh(`rft.unknown-${i}`);
		expect((await state(emulator)).refreshes).toHaveLength(3);
		await tokens();
		await control(emulator, 'reset');
		const after = await state(emulator);
		expect([after.refreshes, after.grants]).toEqual([[], []]);
	});
});

describe('POST /v2/oauth/revoke/', () => {
	it('answers 200 with an empty body and invalidates the access and refresh tokens', async () => {
		const pair = (await exchange(await codeFor())).body as Json;
		const response = await form(emulator, '/v2/oauth/revoke/', {
			...CLIENT,
			token: pair.access_token,
		});
		expect(response.status).toBe(200);
		expect(response.text).toBe('');
		const info = await api(emulator, '/v2/user/info/?fields=open_id', {
			token: pair.access_token,
			method: 'GET',
		});
		expect(info.body.error.code).toBe('access_token_invalid');
		const refreshed = await form(emulator, '/v2/oauth/token/', {
			...CLIENT,
			grant_type: 'refresh_token',
			refresh_token: pair.refresh_token,
		});
		expectOAuthError(refreshed, 'invalid_grant', 400);
		const after = await state(emulator);
		expect(after.grants).toEqual([
			expect.objectContaining({ revoked: true, revoked_reason: 'revoke-endpoint' }),
		]);
		expect(after.refreshes.map((r: Json) => r.outcome)).toEqual(['grant-revoked']);
	});

	it('requires client credentials', async () => {
		const pair = (await exchange(await codeFor())).body as Json;
		expectOAuthError(
			await form(emulator, '/v2/oauth/revoke/', { token: pair.access_token }),
			'invalid_request',
			400,
		);
	});
});
