import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

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
