import type { ICredentialDataDecryptedObject, IExecuteFunctions, IExecuteSingleFunctions, ILoadOptionsFunctions } from 'n8n-workflow';

import { normalizeApiBaseUrl } from '../../../credentials/shared/tikTokEndpoints';

export type TikTokCredentialType = 'tikTokOAuth2Api' | 'tikTokRefreshTokenApi';

/** The node's `authentication` parameter value → the credential type it selects. */
export function credentialTypeFor(authentication: unknown): TikTokCredentialType {
	return authentication === 'refreshToken' ? 'tikTokRefreshTokenApi' : 'tikTokOAuth2Api';
}

/** Both credential types carry an `apiBaseUrl` (TikTok itself unless a proxy or test server is set). */
export function apiBaseUrlOf(credentials: ICredentialDataDecryptedObject | undefined): string {
	return normalizeApiBaseUrl(credentials?.apiBaseUrl);
}

type CredentialReader = Pick<IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions, 'getCredentials'>;

/** Per node run (n8n hands every item of one run the same context object) and credential type. */
const apiBaseUrls = new WeakMap<object, Map<TikTokCredentialType, Promise<string>>>();

/**
 * The API base URL, read once per node run instead of once per call. Each read makes n8n decrypt
 * the credential and evaluate its expression fields, and n8n keeps what every evaluation builds
 * until the execution ends (about 100 KB per read with the OAuth2 credential): per call, a long
 * execution would keep more with every item. A failed read is not remembered.
 */
export function apiBaseUrlFor(ctx: CredentialReader, credentialType: TikTokCredentialType): Promise<string> {
	let byType = apiBaseUrls.get(ctx);
	if (!byType) apiBaseUrls.set(ctx, (byType = new Map()));
	const known = byType.get(credentialType);
	if (known) return known;
	const reading = ctx.getCredentials(credentialType).then(apiBaseUrlOf);
	byType.set(credentialType, reading);
	reading.catch(() => byType?.delete(credentialType));
	return reading;
}
