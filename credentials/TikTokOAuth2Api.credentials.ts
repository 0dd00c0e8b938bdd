import type { ICredentialTestRequest, ICredentialType, INodeProperties } from 'n8n-workflow';

import {
	AUTHORIZE_QUERY_EXPRESSION,
	AUTHORIZE_URL_EXPRESSION,
	EXCHANGE_BODY_EXPRESSION,
	TIKTOK_SCOPES,
	TOKEN_URL_EXPRESSION,
} from './shared/tikTokEndpoints';
import { apiBaseUrlField, clientSecretField } from './shared/credentialFields';
import { userInfoTestRequest } from './shared/userInfoTest';

/**
 * TikTok Login Kit through n8n's own OAuth2 machinery (the "Connect" button).
 *
 * TikTok calls the client `client_key` where OAuth2 says `client_id`. n8n sends `client_id`
 * regardless, so the key is added where n8n lets a credential add data: the authorize URL's
 * query (`authQueryParameters`), the code-exchange body (`additionalBodyProperties` with body
 * authentication) and the token URL's query string, which is also what n8n's automatic refresh
 * posts to. Whether a refresh works therefore depends on TikTok reading `client_key` from the
 * query string; the README's table says what happens otherwise and the Refresh Token credential
 * is the way round it.
 */
export class TikTokOAuth2Api implements ICredentialType {
	name = 'tikTokOAuth2Api';

	displayName = 'TikTok OAuth2 API';

	extends = ['oAuth2Api'];

	icon = { light: 'file:../icons/tiktok.svg', dark: 'file:../icons/tiktok.dark.svg' } as const;

	documentationUrl =
		'https://github.com/n8n-nodes-tiktok-posting/n8n-nodes-tiktok-posting#credentials';

	properties: INodeProperties[] = [
		apiBaseUrlField,
		{
			displayName: 'Client Key',
			name: 'clientId',
			type: 'string',
			default: '',
			required: true,
			description: "The Client key shown on your app's page in the TikTok developer portal",
		},
		clientSecretField,
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: AUTHORIZE_URL_EXPRESSION,
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: TOKEN_URL_EXPRESSION,
		},
		{
			// Hidden so n8n never wipes it on reconnect (it deletes editable scopes of OAuth2 types).
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: TIKTOK_SCOPES,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: AUTHORIZE_QUERY_EXPRESSION,
		},
		{
			// TikTok wants client credentials as form fields, not as a Basic header.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		{
			displayName: 'Additional Body Properties',
			name: 'additionalBodyProperties',
			type: 'hidden',
			default: EXCHANGE_BODY_EXPRESSION,
		},
	];

	test: ICredentialTestRequest = userInfoTestRequest('Reconnect the credential.');
}
