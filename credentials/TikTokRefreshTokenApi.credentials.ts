import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { apiBaseUrlField, clientSecretField } from './shared/credentialFields';
import { refreshOnce } from './shared/refreshCoordinator';
import { refreshTikTokAccessToken } from './shared/tikTokTokenRefresh';
import { usableAccessToken } from './shared/tokenFingerprint';
import { userInfoTestRequest } from './shared/userInfoTest';

/**
 * TikTok without the Connect button: the user pastes a refresh token obtained elsewhere (for
 * example when n8n runs on http://localhost, which TikTok web apps cannot redirect to).
 *
 * n8n keeps the access token in the hidden, expirable `accessToken` field. It calls
 * `preAuthentication` when that field is empty and again after a request answered 401, stores
 * what it returns (the new access token and the refresh token TikTok may have rotated) and
 * retries the request once. The refresh itself sends `client_key` in the form body, exactly as
 * TikTok documents, so it does not depend on any undocumented TikTok behaviour. TikTok rotates
 * the refresh token at every refresh (November 2026); executions of this n8n process that meet an
 * expired token together share one refresh (refreshCoordinator.ts).
 */
export class TikTokRefreshTokenApi implements ICredentialType {
	name = 'tikTokRefreshTokenApi';

	displayName = 'TikTok Refresh Token API';

	icon = { light: 'file:../icons/tiktok.svg', dark: 'file:../icons/tiktok.dark.svg' } as const;

	documentationUrl =
		'https://github.com/n8n-nodes-tiktok-posting/n8n-nodes-tiktok-posting#credentials';

	properties: INodeProperties[] = [
		apiBaseUrlField,
		{
			displayName: 'Client Key',
			name: 'clientKey',
			type: 'string',
			default: '',
			required: true,
			description: "The Client key shown on your app's page in the TikTok developer portal",
		},
		clientSecretField,
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description:
				'A refresh token (starts with "rft.") issued to this app with the scopes user.info.basic, video.publish and video.upload. It lasts 180 days. TikTok replaces it at every refresh (about every two hours) and n8n stores each replacement, so paste it only once.',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Access Token Fingerprint',
			name: 'accessTokenFingerprint',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
	];

	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		// Concurrent executions share one refresh; see refreshCoordinator.ts (rotating refresh tokens).
		const tokens = await refreshOnce(credentials, async () => await refreshTikTokAccessToken.call(this, credentials));
		return { ...tokens };
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		// An empty bearer makes TikTok answer 401, which makes n8n refresh and retry once.
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: `Bearer ${usableAccessToken(credentials)}`,
		};
		return requestOptions;
	}

	test: ICredentialTestRequest = userInfoTestRequest('Get a new refresh token and paste it into the credential.');
}
