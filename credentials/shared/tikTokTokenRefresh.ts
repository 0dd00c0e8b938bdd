import type { ICredentialDataDecryptedObject, IHttpRequestHelper, IN8nHttpFullResponse } from 'n8n-workflow';

import { tokenFingerprint } from './tokenFingerprint';
import { normalizeApiBaseUrl, GRANT_ENDPOINT_PATH } from './tikTokEndpoints';

/** What the Refresh Token credential stores after a successful refresh (n8n persists it). */
export interface RefreshedTokens {
	accessToken: string;
	refreshToken: string;
	accessTokenFingerprint: string;
}

/** A refresh's outcome: what is stored, and how long TikTok says the new access token lives. */
export interface RefreshResult {
	tokens: RefreshedTokens;
	/** TikTok's `expires_in` (seconds); 0 when TikTok did not say. Never stored: used to judge reuse. */
	accessTokenLifetimeSec: number;
}

/** TikTok's flat OAuth error shape, kept on the error so callers can branch on `error`. */
export interface TikTokOAuthErrorBody {
	error: string;
	error_description?: string;
	log_id?: string;
}

/**
 * Why a refresh failed, in words a user can act on. `body` carries TikTok's own error code (never
 * a secret); `description` is what n8n shows under the message.
 */
export class TikTokTokenRefreshError extends Error {
	readonly body: TikTokOAuthErrorBody;

	readonly description: string;

	constructor(message: string, body: TikTokOAuthErrorBody, description: string) {
		super(message);
		this.name = 'TikTokTokenRefreshError';
		this.body = body;
		this.description = description;
	}
}

/** A refresh that gets no answer fails in time for the node to report it (n8n's default is 5 minutes). */
const TOKEN_REQUEST_TIMEOUT_MS = 30_000;

const NEW_REFRESH_TOKEN_HINT =
	'Get a new refresh token for this TikTok app (see "Refresh Token credential" in the package README) and paste it into the credential\'s Refresh Token field.';

const HINTS: Record<string, { message: string; hint: string }> = {
	invalid_grant: {
		message: 'TikTok no longer accepts this refresh token',
		hint: `It has expired (TikTok refresh tokens last 180 days from the first authorization), the creator removed the app's access, or TikTok ended the authorization. ${NEW_REFRESH_TOKEN_HINT}`,
	},
	invalid_client: {
		message: 'TikTok rejected the Client Key or Client Secret',
		hint: "Copy both again from your app's page in the TikTok developer portal. The refresh token must have been issued to that same app.",
	},
	unauthorized_client: {
		message: 'This TikTok app is not allowed to refresh tokens',
		hint: 'Check in the TikTok developer portal that Login Kit is added to the app and the app is not suspended.',
	},
	access_denied: {
		message: 'TikTok denied the token refresh',
		hint: `The creator or TikTok withdrew the app's access. ${NEW_REFRESH_TOKEN_HINT}`,
	},
};

/** The form TikTok documents for `grant_type=refresh_token`: the client goes in as `client_key`. */
export function refreshRequestForm(credentials: ICredentialDataDecryptedObject): string {
	return new URLSearchParams({
		client_key: String(credentials.clientKey ?? '').trim(),
		client_secret: String(credentials.clientSecret ?? '').trim(),
		grant_type: 'refresh_token',
		refresh_token: String(credentials.refreshToken ?? '').trim(),
	}).toString();
}

/**
 * Reads the token endpoint's answer. TikTok may report an error with HTTP 200, so success is
 * decided by the body (an `access_token` and no `error`), not by the status code.
 */
export function readRefreshResponse(
	response: Pick<IN8nHttpFullResponse, 'statusCode' | 'body'>,
	credentials: ICredentialDataDecryptedObject,
): RefreshResult {
	const body = parseBody(response.body);
	const errorCode = typeof body?.error === 'string' && body.error !== '' ? body.error : undefined;
	const accessToken = typeof body?.access_token === 'string' ? body.access_token : '';
	if (errorCode === undefined && accessToken !== '') {
		const rotated = typeof body?.refresh_token === 'string' ? body.refresh_token : '';
		const refreshToken = rotated || String(credentials.refreshToken ?? '').trim();
		const lifetime = Number(body?.expires_in);
		return {
			tokens: { accessToken, refreshToken, accessTokenFingerprint: tokenFingerprint({ ...credentials, refreshToken }) },
			accessTokenLifetimeSec: Number.isFinite(lifetime) && lifetime > 0 ? lifetime : 0,
		};
	}
	throw refreshError(response.statusCode, errorCode, body);
}

/**
 * Exchanges the stored refresh token for a new access token with `client_key` in the form body,
 * as TikTok documents it. Network failures are rethrown without the request attached, because
 * the request carries the client secret and the refresh token.
 */
export async function refreshTikTokAccessToken(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
): Promise<RefreshResult> {
	let response: IN8nHttpFullResponse | undefined;
	let unreachableReason = 'no response';
	try {
		response = (await this.helpers.httpRequest({
			method: 'POST',
			url: `${normalizeApiBaseUrl(credentials.apiBaseUrl)}${GRANT_ENDPOINT_PATH}`,
			headers: {
				'Content-Type': 'application/x-www-form-urlencoded',
				Accept: 'application/json',
			},
			body: refreshRequestForm(credentials),
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			json: false,
			encoding: 'text',
			timeout: TOKEN_REQUEST_TIMEOUT_MS,
		})) as IN8nHttpFullResponse;
	} catch (error) {
		if (typeof error?.code === 'string') unreachableReason = error.code;
	}
	if (response === undefined) {
		throw new TikTokTokenRefreshError(
			`Could not reach TikTok's token endpoint to refresh the access token (${unreachableReason})`,
			{ error: 'token_endpoint_unreachable' },
			"Check that n8n can reach the credential's API Base URL, then run the workflow again.",
		);
	}
	return readRefreshResponse(response, credentials);
}

function parseBody(raw: unknown): Record<string, unknown> | undefined {
	let value = raw;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return undefined;
		}
	}
	return typeof value === 'object' && value !== null && !Array.isArray(value)
		? (value as Record<string, unknown>)
		: undefined;
}

function refreshError(
	statusCode: number,
	errorCode: string | undefined,
	body: Record<string, unknown> | undefined,
): TikTokTokenRefreshError {
	const logId = typeof body?.log_id === 'string' ? body.log_id : undefined;
	const tiktokDescription =
		typeof body?.error_description === 'string' ? body.error_description : undefined;
	const code = errorCode ?? (statusCode >= 400 ? `http_${statusCode}` : 'no_access_token');
	const known = HINTS[code];
	const summary =
		known?.message ??
		(errorCode
			? 'TikTok refused to refresh the access token'
			: `TikTok's token endpoint answered HTTP ${statusCode} without an access token`);
	const details = [tiktokDescription, logId ? `log_id ${logId}` : undefined].filter(Boolean).join('; ');
	return new TikTokTokenRefreshError(
		`${summary} (${code})${details ? `: ${details}` : ''}`,
		{ error: code, error_description: tiktokDescription, log_id: logId },
		known?.hint ??
			`Check the Client Key, Client Secret and Refresh Token in the credential. ${NEW_REFRESH_TOKEN_HINT}`,
	);
}
