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

/**
 * Identifies the credential a call uses within this n8n process (its id, as the workflow names
 * it): token refreshes and TikTok's per-minute limits are coordinated per credential.
 */
export function credentialKeyFor(ctx: Pick<IExecuteFunctions, 'getNode'>, credentialType: TikTokCredentialType): string {
	const reference = ctx.getNode().credentials?.[credentialType];
	return `${credentialType}:${reference?.id ?? reference?.name ?? '-'}`;
}

type CredentialReader = Pick<IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions, 'getCredentials'>;

/**
 * Keyed by the context n8n passes in: one per node run for Post Video and Post Photos, one per
 * item for the routed operations (Get Status keeps its one context for its whole wait).
 */
const apiBaseUrls = new WeakMap<object, Map<TikTokCredentialType, Promise<string>>>();

/**
 * The API base URL, read once per context instead of once per call. Each read makes n8n decrypt
 * the credential and evaluate its expression fields, and n8n keeps what every evaluation builds
 * (about 19 KB, measured with heap snapshots) until the execution ends: read per call, a long
 * execution kept more with every item. A failed read is not remembered.
 */
export function apiBaseUrlFor(ctx: CredentialReader, credentialType: TikTokCredentialType): Promise<string> {
	const byType = apiBaseUrls.get(ctx) ?? new Map<TikTokCredentialType, Promise<string>>();
	apiBaseUrls.set(ctx, byType);
	const known = byType.get(credentialType);
	if (known) return known;
	const reading = ctx.getCredentials(credentialType).then(apiBaseUrlOf);
	byType.set(credentialType, reading);
	reading.catch(() => {
		if (byType.get(credentialType) === reading) byType.delete(credentialType);
	});
	return reading;
}
