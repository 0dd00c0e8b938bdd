import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normalizeApiBaseUrl } from './tikTokEndpoints';

/**
 * Identifies which app, server and refresh token an access token was obtained with, without
 * storing anything reversible. When a user pastes another refresh token (perhaps another TikTok
 * account) or changes the client key or base URL, the stored access token no longer matches and
 * is not sent, so nothing can be posted to the previous account by mistake.
 */
export function tokenFingerprint(credentials: ICredentialDataDecryptedObject): string {
	const material = [
		normalizeApiBaseUrl(credentials.apiBaseUrl),
		String(credentials.clientKey ?? '').trim(),
		String(credentials.refreshToken ?? '').trim(),
	].join('\n');
	return createHash('sha256').update(material).digest('hex');
}

/** The stored access token, or '' when it was obtained for other settings than the current ones. */
export function usableAccessToken(credentials: ICredentialDataDecryptedObject): string {
	const accessToken = typeof credentials.accessToken === 'string' ? credentials.accessToken : '';
	if (accessToken === '') return '';
	return credentials.accessTokenFingerprint === tokenFingerprint(credentials) ? accessToken : '';
}
