import { describeOAuthError } from '../shared/errorMap';
import type { TikTokCredentialType } from './credentials';
import { isObject } from './response';
import type { TikTokFailure } from './tiktokError';

const RECONNECT_HINT =
	'Open the TikTok credential and connect it again (OAuth2), or paste a fresh refresh token (Refresh Token credential). TikTok refresh tokens last 180 days from the first authorization and end early when the creator removes the app\'s access.';

/**
 * n8n's built-in OAuth2 refresh sends `client_id`; it works only if TikTok also reads the
 * `client_key` the credential puts in the token URL's query. When TikTok refuses the request
 * itself (not the token), reconnecting buys just two hours: the lasting fix is the other credential.
 */
const OAUTH2_REFRESH_FORMAT_HINT =
	'TikTok did not accept n8n\'s OAuth2 token refresh (TikTok wants client_key in the request body, which n8n\'s built-in refresh cannot send). Reconnecting helps for only two hours, until the access token expires again: switch the node\'s Authentication to "Refresh Token" and create a TikTok Refresh Token credential (see the README, Credentials).';

/**
 * TikTok answered n8n's OAuth2 refresh with an error inside an HTTP 200 (seen in TikTok's
 * sandbox); n8n took it for a new token and retried with none. Same lasting fix.
 */
export const OAUTH2_REFRESH_IGNORED_HINT =
	'Switch the node\'s Authentication to "Refresh Token" and create a TikTok Refresh Token credential (see the README, Credentials): TikTok refused n8n\'s OAuth2 token refresh in a way n8n does not recognise, so reconnecting would help for only two hours. If TikTok also says the creator removed the app\'s access, connect again.';

/**
 * Recognises a failure to obtain a usable access token — n8n's OAuth2 refresh failing, the
 * credential never being connected, or the Refresh Token credential's own refresh being refused —
 * as opposed to TikTok's API rejecting a call. Those need the user to act on the credential.
 */
export function credentialFailureFromError(
	error: unknown,
	credentialType: TikTokCredentialType,
): TikTokFailure | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 6 && isObject(current); depth++) {
		// The Refresh Token credential explains its own failures; keep its words.
		if (current.name === 'TikTokTokenRefreshError' && typeof current.message === 'string') {
			const body = isObject(current.body) ? current.body : {};
			return {
				code: typeof body.error === 'string' ? body.error : 'token_refresh_failed',
				message: current.message,
				hint: typeof current.description === 'string' ? current.description : RECONNECT_HINT,
				logId: typeof body.log_id === 'string' ? body.log_id : undefined,
			};
		}
		const oauthBody = flatOAuthError(current.body) ?? flatOAuthError(current.errorResponse);
		if (oauthBody) {
			const description = describeOAuthError(oauthBody.error, oauthBody.description);
			const refusedFormat =
				credentialType === 'tikTokOAuth2Api' && ['invalid_request', 'invalid_client'].includes(oauthBody.error);
			return {
				code: oauthBody.error,
				message: `TikTok refused to refresh the access token: ${description.message}`,
				hint: refusedFormat ? OAUTH2_REFRESH_FORMAT_HINT : description.hint,
				logId: oauthBody.logId,
			};
		}
		const message = typeof current.message === 'string' ? current.message : '';
		const wrapped = refreshFailureFromWrappedText(current, credentialType);
		if (wrapped) return wrapped;
		if (/credentials? not connected|unable to sign without access token/i.test(message)) {
			return {
				code: 'credential_not_connected',
				message: 'The TikTok credential is not connected yet',
				hint: 'Open the TikTok credential and click "Connect my account" (OAuth2), or use a Refresh Token credential.',
			};
		}
		if (/needs to be reconnected|no refresh token is available/i.test(message)) {
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

const OAUTH_ERROR_CODES = /\b(invalid_grant|invalid_request|invalid_client|unauthorized_client|access_denied|invalid_scope|unsupported_grant_type|token_endpoint_unreachable)\b/;

/**
 * Older n8n versions wrap a refresh failure without keeping the original error: only its message,
 * its description, and (for n8n's OAuth2 client) the `EAUTH` code survive. Read those.
 */
function refreshFailureFromWrappedText(
	error: Record<string, unknown>,
	credentialType: TikTokCredentialType,
): TikTokFailure | undefined {
	const message = typeof error.message === 'string' ? error.message : '';
	const description = typeof error.description === 'string' ? error.description : '';
	const text = `${message} ${description}`;
	if (credentialType === 'tikTokOAuth2Api' && (error.httpCode === 'EAUTH' || error.code === 'EAUTH')) {
		const code = OAUTH_ERROR_CODES.exec(text)?.[1] ?? 'token_refresh_failed';
		return {
			code,
			message: `TikTok refused to refresh the access token (${code})`,
			hint: code === 'invalid_grant' ? RECONNECT_HINT : OAUTH2_REFRESH_FORMAT_HINT,
		};
	}
	// The Refresh Token credential's own error: "<what happened> (<code>)[: details]" + its hint.
	const own = /\(([a-z_0-9]+)\)(?::|$)/.exec(message);
	if (credentialType === 'tikTokRefreshTokenApi' && own && /refresh|client key|client secret/i.test(text) && description) {
		return { code: own[1], message, hint: description };
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

/**
 * A refresh TikTok refused because the refresh token was not (or no longer) valid. With rotating
 * refresh tokens that is also what losing a race looks like: another process refreshed first and
 * stored the replacement, so trying again (reading the stored credential anew) is worth it.
 */
export function isRefreshRefusal(failure: TikTokFailure): boolean {
	return ['invalid_grant', 'credential_needs_reconnect'].includes(failure.code);
}
