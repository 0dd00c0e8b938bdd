import { describeOAuthError } from '../shared/errorMap';
import { isObject } from './response';
import type { TikTokFailure } from './tiktokError';

const RECONNECT_HINT =
	'Open the TikTok credential and connect it again (OAuth2), or paste a fresh refresh token (Refresh Token credential). TikTok refresh tokens last 365 days and end early when the creator removes the app\'s access.';

/**
 * Recognises a failure to obtain a usable access token — n8n's OAuth2 refresh failing, the
 * credential never being connected, or the Refresh Token credential's own refresh being refused —
 * as opposed to TikTok's API rejecting a call. Those need the user to reconnect, not to retry.
 */
export function credentialFailureFromError(error: unknown): TikTokFailure | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && isObject(current); depth++) {
		const oauthBody = flatOAuthError(current.body) ?? flatOAuthError(current.errorResponse);
		if (oauthBody) {
			const description = describeOAuthError(oauthBody.error, oauthBody.description);
			return {
				code: oauthBody.error,
				message: `TikTok refused to refresh the access token: ${description.message}`,
				hint: description.hint,
				logId: oauthBody.logId,
			};
		}
		const message = typeof current.message === 'string' ? current.message : '';
		if (/needs to be reconnected|credentials? not connected|unable to sign without access token/i.test(message)) {
			return {
				code: 'credential_needs_reconnect',
				message: 'The TikTok credential has no valid access token and could not refresh it',
				hint: RECONNECT_HINT,
			};
		}
		current = current.cause;
	}
	return undefined;
}

function flatOAuthError(value: unknown): { error: string; description?: string; logId?: string } | undefined {
	let candidate = value;
	if (typeof candidate === 'string') {
		try {
			candidate = JSON.parse(candidate);
		} catch {
			return undefined;
		}
	}
	if (!isObject(candidate) || typeof candidate.error !== 'string') return undefined;
	return {
		error: candidate.error,
		description: typeof candidate.error_description === 'string' ? candidate.error_description : undefined,
		logId: typeof candidate.log_id === 'string' ? candidate.log_id : undefined,
	};
}
