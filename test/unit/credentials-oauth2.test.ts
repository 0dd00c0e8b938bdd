// The OAuth2 credential's hidden fields are n8n expressions over the credential's own values
// ($self). These tests resolve them with n8n-workflow's expression engine, the same way n8n's
// CredentialsHelper does, and check the URLs and bodies TikTok would receive.
import { Workflow, type ICredentialDataDecryptedObject, type INodeTypes } from 'n8n-workflow';

import { TikTokOAuth2Api } from '../../credentials/TikTokOAuth2Api.credentials';

const mockNode = {
	id: 'credential-resolution',
	name: 'credential resolution',
	type: 'mock',
	typeVersion: 1,
	position: [0, 0] as [number, number],
	parameters: {},
};

const mockNodeTypes = {
	getByName: () => ({ description: { properties: [] } }),
	getByNameAndVersion: () => ({ description: { properties: [] } }),
	getKnownTypes: () => ({}),
} as unknown as INodeTypes;

/** Stored values plus property defaults, with every expression resolved against $self. */
async function resolve(stored: ICredentialDataDecryptedObject): Promise<ICredentialDataDecryptedObject> {
	const credential = new TikTokOAuth2Api();
	const data: ICredentialDataDecryptedObject = {};
	for (const property of credential.properties) {
		data[property.name] = stored[property.name] ?? (property.default as string);
	}
	const workflow = new Workflow({ nodes: [mockNode], connections: {}, active: false, nodeTypes: mockNodeTypes });
	const expression = workflow.expression as unknown as {
		acquireIsolate?: () => Promise<void>;
		releaseIsolate?: () => Promise<void>;
		getComplexParameterValue: (...args: unknown[]) => unknown;
	};
	await expression.acquireIsolate?.();
	try {
		return expression.getComplexParameterValue(
			mockNode,
			data,
			'internal',
			{},
			undefined,
			undefined,
			data,
		) as ICredentialDataDecryptedObject;
	} finally {
		await expression.releaseIsolate?.();
	}
}

function propertyNamed(name: string) {
	const property = new TikTokOAuth2Api().properties.find((candidate) => candidate.name === name);
	if (!property) throw new Error(`no property ${name}`);
	return property;
}

describe('TikTok OAuth2 API credential: identity', () => {
	it('extends n8n\'s OAuth2 credential under the names the node uses', () => {
		const credential = new TikTokOAuth2Api();
		expect(credential.name).toBe('tikTokOAuth2Api');
		expect(credential.displayName).toBe('TikTok OAuth2 API');
		expect(credential.extends).toEqual(['oAuth2Api']);
	});

	it('labels the client id field "Client Key", as TikTok does', () => {
		expect(propertyNamed('clientId').displayName).toBe('Client Key');
		expect(propertyNamed('clientSecret').typeOptions).toEqual({ password: true });
	});

	it('keeps scope hidden so n8n does not wipe it on reconnect, comma-separated as TikTok wants', () => {
		const scope = propertyNamed('scope');
		expect(scope.type).toBe('hidden');
		expect(String(scope.default).split(',')).toEqual(['user.info.basic', 'video.publish', 'video.upload']);
	});

	it('sends client credentials in the form body, not a Basic header', () => {
		expect(propertyNamed('authentication')).toMatchObject({ type: 'hidden', default: 'body' });
		expect(propertyNamed('grantType')).toMatchObject({ type: 'hidden', default: 'authorizationCode' });
	});

	it('tests the token with a real user-info call', () => {
		const { test } = new TikTokOAuth2Api();
		expect(test.request.url).toBe('/v2/user/info/');
		expect(test.request.qs).toEqual({ fields: 'open_id,display_name' });
		// n8n reports a failed test call by its status text alone; a 401 gets an explanation.
		expect(test.rules).toEqual([
			{ type: 'responseCode', properties: { value: 401, message: expect.stringMatching(/user\.info\.basic.*Reconnect/) } },
		]);
	});
});

describe('TikTok OAuth2 API credential: resolved endpoints', () => {
	it('uses TikTok\'s own consent page and token endpoint by default', async () => {
		const resolved = await resolve({ clientId: 'awk3y', clientSecret: 's' });
		expect(resolved.authUrl).toBe('https://www.tiktok.com/v2/auth/authorize/');
		expect(resolved.accessTokenUrl).toBe('https://open.tiktokapis.com/v2/oauth/token/?client_key=awk3y');
	});

	it('points both at a custom API base URL, ignoring trailing slashes', async () => {
		const resolved = await resolve({ apiBaseUrl: 'http://127.0.0.1:4010//', clientId: 'k', clientSecret: 's' });
		expect(resolved.authUrl).toBe('http://127.0.0.1:4010/v2/auth/authorize/');
		expect(resolved.accessTokenUrl).toBe('http://127.0.0.1:4010/v2/oauth/token/?client_key=k');
	});

	it('treats an emptied API base URL as TikTok', async () => {
		const resolved = await resolve({ apiBaseUrl: '', clientId: 'k', clientSecret: 's' });
		expect(resolved.authUrl).toBe('https://www.tiktok.com/v2/auth/authorize/');
	});

	it('adds client_key to the authorize query, URL-encoded', async () => {
		const resolved = await resolve({ clientId: 'a b&c=d', clientSecret: 's' });
		expect(new URLSearchParams(String(resolved.authQueryParameters)).get('client_key')).toBe('a b&c=d');
		expect(new URL(String(resolved.accessTokenUrl)).searchParams.get('client_key')).toBe('a b&c=d');
	});

	it('adds client_key to the code-exchange body as JSON n8n merges into the form', async () => {
		const resolved = await resolve({ clientId: 'awk3y', clientSecret: 's' });
		expect(JSON.parse(String(resolved.additionalBodyProperties))).toEqual({ client_key: 'awk3y' });
	});
});
