// The Refresh Token credential's own token refresh (preAuthentication) and request signing
// (authenticate), driven through a recording stand-in for n8n's httpRequest helper.
import type {
	ICredentialDataDecryptedObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { TikTokRefreshTokenApi } from '../../credentials/TikTokRefreshTokenApi.credentials';
import { resetRefreshCoordination } from '../../credentials/shared/refreshCoordinator';
import { TikTokTokenRefreshError } from '../../credentials/shared/tikTokTokenRefresh';

// Refreshes of one refresh token are shared within a process (refreshCoordinator.ts): each test
// here starts as a fresh n8n process would.
beforeEach(() => resetRefreshCoordination());

const SECRET = 'client-secret-do-not-leak';
const REFRESH = 'rft.refresh-token-do-not-leak';

function storedCredentials(overrides: ICredentialDataDecryptedObject = {}): ICredentialDataDecryptedObject {
	return {
		apiBaseUrl: 'http://127.0.0.1:4010/',
		clientKey: 'awk3y',
		clientSecret: SECRET,
		refreshToken: REFRESH,
		accessToken: '',
		accessTokenFingerprint: '',
		...overrides,
	};
}

/** n8n's helper as the hook sees it; answers with `reply` and records each request. */
function helperAnswering(reply: () => Promise<Partial<IN8nHttpFullResponse>>) {
	const requests: IHttpRequestOptions[] = [];
	const helper: IHttpRequestHelper = {
		helpers: {
			httpRequest: (async (options: IHttpRequestOptions) => {
				requests.push(options);
				return await reply();
			}) as IHttpRequestHelper['helpers']['httpRequest'],
		},
	};
	return { helper, requests };
}

const json = (statusCode: number, body: unknown) => async () => ({ statusCode, body: JSON.stringify(body), headers: {} });

async function refreshWith(
	reply: () => Promise<Partial<IN8nHttpFullResponse>>,
	credentials = storedCredentials(),
) {
	const { helper, requests } = helperAnswering(reply);
	const credential = new TikTokRefreshTokenApi();
	const outcome = await credential.preAuthentication
		.call(helper, credentials)
		.then((value) => value as ICredentialDataDecryptedObject)
		.then(
		(value) => ({ value, error: undefined as unknown as TikTokTokenRefreshError }),
		(error: TikTokTokenRefreshError) => ({ value: undefined, error }),
	);
	return { ...outcome, requests };
}

async function bearerFor(credentials: ICredentialDataDecryptedObject): Promise<string | undefined> {
	const signed = await new TikTokRefreshTokenApi().authenticate(credentials, { url: '/v2/user/info/', headers: {} });
	return signed.headers?.Authorization as string | undefined;
}

describe('TikTok Refresh Token API credential: shape', () => {
	it('is a non-OAuth2 credential with an expirable hidden access token', () => {
		const credential = new TikTokRefreshTokenApi();
		expect(credential.name).toBe('tikTokRefreshTokenApi');
		expect(credential.displayName).toBe('TikTok Refresh Token API');
		expect((credential as { extends?: string[] }).extends).toBeUndefined();
		const accessToken = credential.properties.find((property) => property.name === 'accessToken');
		expect(accessToken).toMatchObject({ type: 'hidden', typeOptions: { expirable: true } });
	});

	it('masks every secret field', () => {
		const properties = new TikTokRefreshTokenApi().properties;
		for (const name of ['clientSecret', 'refreshToken', 'accessToken']) {
			expect(properties.find((property) => property.name === name)?.typeOptions?.password).toBe(true);
		}
	});
});

describe('TikTok Refresh Token API credential: refresh', () => {
	it('posts TikTok\'s documented refresh form with client_key (never client_id) to the base URL', async () => {
		const { requests, error } = await refreshWith(
			json(200, { access_token: 'act.new', refresh_token: 'rft.new', expires_in: 86400 }),
		);
		expect(error).toBeUndefined();
		expect(requests).toHaveLength(1);
		expect(requests[0].method).toBe('POST');
		expect(requests[0].url).toBe('http://127.0.0.1:4010/v2/oauth/token/');
		expect(requests[0].headers?.['Content-Type']).toBe('application/x-www-form-urlencoded');
		const form = new URLSearchParams(String(requests[0].body));
		expect(Object.fromEntries(form)).toEqual({
			client_key: 'awk3y',
			client_secret: SECRET,
			grant_type: 'refresh_token',
			refresh_token: REFRESH,
		});
	});

	it('returns the new access token and the rotated refresh token so n8n persists both', async () => {
		const { value } = await refreshWith(json(200, { access_token: 'act.new', refresh_token: 'rft.rotated' }));
		expect(value).toMatchObject({ accessToken: 'act.new', refreshToken: 'rft.rotated' });
	});

	it('keeps the stored refresh token when TikTok does not return one', async () => {
		const { value } = await refreshWith(json(200, { access_token: 'act.new' }));
		expect(value).toMatchObject({ accessToken: 'act.new', refreshToken: REFRESH });
	});

	it('treats an error body with HTTP 200 as a failure, not as a token', async () => {
		const { error, value } = await refreshWith(
			json(200, { error: 'invalid_grant', error_description: 'Refresh token is invalid or expired.', log_id: 'L1' }),
		);
		expect(value).toBeUndefined();
		expect(error).toBeInstanceOf(TikTokTokenRefreshError);
		expect(error.body).toEqual({
			error: 'invalid_grant',
			error_description: 'Refresh token is invalid or expired.',
			log_id: 'L1',
		});
	});

	it('explains invalid_grant as a refresh token to replace', async () => {
		const { error } = await refreshWith(json(400, { error: 'invalid_grant', error_description: 'x', log_id: 'L2' }));
		expect(error.message).toMatch(/no longer accepts this refresh token \(invalid_grant\)/);
		expect(error.message).toContain('log_id L2');
		expect(error.description).toMatch(/paste it into the credential's Refresh Token field/);
	});

	it('explains invalid_client as a wrong client key or secret', async () => {
		const { error } = await refreshWith(json(401, { error: 'invalid_client', error_description: 'bad client' }));
		expect(error.message).toMatch(/Client Key or Client Secret \(invalid_client\)/);
	});

	it('reports an answer without a token and without an error code by its HTTP status', async () => {
		const { error } = await refreshWith(async () => ({ statusCode: 502, body: '<html>Bad gateway</html>' }));
		expect(error.body.error).toBe('http_502');
		expect(error.message).toMatch(/HTTP 502/);
	});

	it('reports an unreachable endpoint without the request (it carries the secrets)', async () => {
		const { error } = await refreshWith(async () => {
			throw Object.assign(new Error(`connect ECONNREFUSED body=${SECRET}`), {
				code: 'ECONNREFUSED',
				config: { data: `client_secret=${SECRET}&refresh_token=${REFRESH}` },
			});
		});
		expect(error).toBeInstanceOf(TikTokTokenRefreshError);
		expect(error.message).toMatch(/Could not reach TikTok's token endpoint.*ECONNREFUSED/);
		expect((error as { cause?: unknown }).cause).toBeUndefined();
	});

	it.each([
		['invalid_grant', 400],
		['invalid_client', 401],
		['server_error', 500],
	])('never puts a secret into the %s error', async (code, status) => {
		const { error } = await refreshWith(json(status, { error: code, error_description: 'no details', log_id: 'L3' }));
		const visible = JSON.stringify({ message: error.message, description: error.description, body: error.body });
		expect(visible).not.toContain(SECRET);
		expect(visible).not.toContain(REFRESH);
	});
});

describe('TikTok Refresh Token API credential: signing', () => {
	it('signs with the access token it refreshed', async () => {
		const credentials = storedCredentials();
		const { value } = await refreshWith(json(200, { access_token: 'act.fresh', refresh_token: 'rft.next' }), credentials);
		expect(await bearerFor({ ...credentials, ...value })).toBe('Bearer act.fresh');
	});

	it('withholds a stored access token once the user pastes another refresh token', async () => {
		const credentials = storedCredentials();
		const { value } = await refreshWith(json(200, { access_token: 'act.account-a', refresh_token: 'rft.a2' }), credentials);
		const edited = { ...credentials, ...value, refreshToken: 'rft.account-b' };
		expect(await bearerFor(edited)).toBe('Bearer ');
	});

	it('withholds it too when the client key or base URL changes', async () => {
		const credentials = storedCredentials();
		const { value } = await refreshWith(json(200, { access_token: 'act.x' }), credentials);
		expect(await bearerFor({ ...credentials, ...value, clientKey: 'other-app' })).toBe('Bearer ');
		expect(await bearerFor({ ...credentials, ...value, apiBaseUrl: 'https://open.tiktokapis.com' })).toBe('Bearer ');
		expect(await bearerFor({ ...credentials, ...value, apiBaseUrl: 'http://127.0.0.1:4010' })).toBe('Bearer act.x');
	});

	it('sends an empty bearer (so TikTok answers 401 and n8n refreshes) when nothing is stored', async () => {
		expect(await bearerFor(storedCredentials())).toBe('Bearer ');
	});
});
