export { InputError } from './inputError';

/** A TikTok failure explained for an n8n user: what happened, what to do, and whether retrying later can help. */
export interface TikTokErrorDescription {
	message: string;
	hint: string;
	retryable: boolean;
}

const AUDIT_URL = 'https://developers.tiktok.com/application/content-posting-api';
const ERROR_DOCS_URL = 'https://developers.tiktok.com/doc/tiktok-api-v2-error-handling';
const MAX_QUOTED_MESSAGE = 300;

/** The scope each Content Posting endpoint needs, for "add this scope" hints. */
export const REQUIRED_SCOPE_BY_PATH: Record<string, string> = {
	'/v2/post/publish/creator_info/query/': 'video.publish',
	'/v2/post/publish/video/init/': 'video.publish',
	'/v2/post/publish/inbox/video/init/': 'video.upload',
	'/v2/post/publish/content/init/': 'video.publish (direct post) or video.upload (draft)',
	'/v2/post/publish/status/fetch/': 'video.publish or video.upload',
	'/v2/post/publish/cancel/': 'video.publish or video.upload',
	'/v2/user/info/': 'user.info.basic (plus user.info.profile for the username)',
};

/** Looks up the scope for a path or full URL, with or without the trailing slash or query. */
export function requiredScopeFor(pathOrUrl: string | undefined): string | undefined {
	if (!pathOrUrl) return undefined;
	let path = pathOrUrl.trim().replace(/^[a-z]+:\/\/[^/]+/i, '').replace(/[?#].*$/, '');
	if (!path.startsWith('/')) path = `/${path}`;
	if (!path.endsWith('/')) path = `${path}/`;
	return Object.prototype.hasOwnProperty.call(REQUIRED_SCOPE_BY_PATH, path)
		? REQUIRED_SCOPE_BY_PATH[path]
		: undefined;
}

/** Removes anything that looks like a TikTok token or a signed URL's query before text reaches the user. */
export function redactSecrets(text: string): string {
	return text
		.replace(/\b(act|rft|clt)\.[A-Za-z0-9._~!*%+/=-]+/g, '$1.[redacted]')
		.replace(/(https?:\/\/[^\s?"'<>]+)\?[^\s"'<>]*/gi, '$1?[redacted]')
		.replace(/(access_token|refresh_token|client_secret|upload_token|code)=([^&\s"']+)/gi, '$1=[redacted]');
}

function quoteTikTokMessage(tiktokMessage: string | undefined): string {
	const text = redactSecrets((tiktokMessage ?? '').trim());
	if (text === '') return '';
	const clipped = text.length > MAX_QUOTED_MESSAGE ? `${text.slice(0, MAX_QUOTED_MESSAGE)}…` : text;
	return ` TikTok says: "${clipped}"`;
}

function lookup<T>(table: Record<string, T>, key: string): T | undefined {
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

const SCOPES_IN_GENERAL =
	'video.publish (direct posts, Creator Info), video.upload (drafts) and user.info.basic';

function scopeHint(path: string | undefined): string {
	const scope = requiredScopeFor(path);
	const which = scope ? `the scope ${scope}` : `the needed scope (${SCOPES_IN_GENERAL})`;
	return (
		`Add ${which} to your app in the TikTok developer portal (it must be approved for the app), ` +
		"include it in the credential's scopes, then reconnect the credential so the user grants it: " +
		'existing tokens never gain new scopes.'
	);
}

const SPAM_TOO_MANY_POSTS: TikTokErrorDescription = {
	message: 'This TikTok account has reached its daily limit of posts made through the API',
	hint:
		'TikTok allows about 15 API posts per creator account per 24 hours, shared by all apps. ' +
		'Wait 24 hours before posting again, or post this one from the TikTok app.',
	retryable: false,
};

const SPAM_BANNED: TikTokErrorDescription = {
	message: 'This TikTok account is currently banned from posting',
	hint:
		'The creator must resolve the restriction in the TikTok app (see its notifications and account status); ' +
		'no app can post for this account until then.',
	retryable: false,
};

const RATE_LIMIT: TikTokErrorDescription = {
	message: 'Too many requests to TikTok for this account (rate limit exceeded)',
	hint:
		'TikTok allows per user and minute: 6 post inits, 20 Creator Info and 30 Get Status calls. ' +
		'Wait a minute and retry, or send fewer items per run.',
	retryable: true,
};

const INVALID_PARAMS: TikTokErrorDescription = {
	message: 'TikTok rejected a request parameter',
	hint: 'Check the field TikTok names in its message and correct it in the node parameters.',
	retryable: false,
};

const API_ERRORS: Record<string, TikTokErrorDescription> = {
	access_token_invalid: {
		message: 'TikTok rejected the access token: it is missing, expired or revoked',
		hint:
			'n8n already refreshed it and TikTok still refused it: the creator removed the app\'s access, or the authorization ' +
			'ended (refresh tokens last 180 days). Reconnect the TikTok credential, or paste a new refresh token. If the OAuth2 ' +
			'credential needs this every two hours, TikTok is not accepting n8n\'s refresh: switch the node\'s Authentication to "Refresh Token".',
		retryable: false,
	},
	scope_not_authorized: {
		message: 'The TikTok account has not granted the permission (scope) this operation needs',
		hint: '', // filled per request by scopeHint()
		retryable: false,
	},
	scope_permission_missed: {
		message: 'Some requested fields need a permission (scope) that was not granted',
		hint: '', // filled per request by scopeHint()
		retryable: false,
	},
	invalid_params: INVALID_PARAMS,
	invalid_param: INVALID_PARAMS,
	rate_limit_exceeded: RATE_LIMIT,
	internal_error: {
		message: 'TikTok had an internal error',
		hint: 'Retry in a few minutes. If it keeps failing, contact TikTok developer support with the log_id.',
		retryable: true,
	},
	invalid_file_upload: {
		message: "The uploaded file does not meet TikTok's video specifications",
		hint:
			'Use an MP4 (H.264 recommended), MOV or WebM video up to 4 GB, 23–60 FPS, ' +
			'360–4096 px wide and high; re-encode it (e.g. with ffmpeg) if needed.',
		retryable: false,
	},
	spam_risk_too_many_posts: SPAM_TOO_MANY_POSTS,
	spam_risk_user_banned_from_posting: SPAM_BANNED,
	spam_risk_too_many_pending_share: {
		message: "Too many uploads are waiting as drafts in this creator's TikTok inbox",
		hint:
			'TikTok allows about 5 pending drafts per 24 hours. Ask the creator to open the TikTok inbox ' +
			'notifications and post or discard the pending drafts, or wait until they expire (about 24 hours).',
		retryable: false,
	},
	reached_active_user_cap: {
		message: 'Your TikTok app has reached its daily limit of active posting users',
		hint:
			'The cap comes from the usage estimate given in the app audit (unaudited apps: 5 users per 24 hours). ' +
			`Wait for the 24-hour window to pass, or raise the quota by passing or updating the audit at ${AUDIT_URL}.`,
		retryable: false,
	},
	unaudited_client_can_only_post_to_private_accounts: {
		message:
			"Your TikTok app has not passed TikTok's Content Posting audit, so it can only post to private accounts",
		hint:
			'Until the app is audited, TikTok accepts direct posts only to accounts set to private in the TikTok app, ' +
			'visible to "Only me" (SELF_ONLY), from at most 5 users per 24 hours. Switch the account to private, ' +
			`or use Post mode "Draft" (needs the video.upload scope), or apply for the audit at ${AUDIT_URL}.`,
		retryable: false,
	},
	url_ownership_unverified: {
		message:
			"TikTok will not download the media: its URL is not on a domain or URL prefix verified for your app",
		hint:
			'In the TikTok developer portal open your app, then URL properties, and verify the domain (DNS TXT record) ' +
			'or URL prefix (signature file) that serves the media. Presigned links on third-party storage ' +
			'(S3, Google Cloud Storage, Supabase) cannot be verified; for videos, upload from a binary property instead.',
		retryable: false,
	},
	privacy_level_option_mismatch: {
		message: 'The privacy level is missing or not one this creator can use',
		hint:
			"Choose one of the privacy options the Creator Info operation returns for this account (privacy_level_options). " +
			'Apps that have not passed the audit can only use "Only me" (SELF_ONLY). ' +
			'TikTok treats repeated mismatches as a guideline violation.',
		retryable: false,
	},
	app_version_check_failed: {
		message: "The creator's TikTok app is too old to receive drafts",
		hint: 'Ask the creator to update the TikTok app to version 31.8 or later, then post again.',
		retryable: false,
	},
	invalid_publish_id: {
		message: 'TikTok does not recognise this publish ID',
		hint:
			'Use the publish_id returned by Post Video or Post Photos for the same TikTok account, ' +
			'without extra spaces or quotes.',
		retryable: false,
	},
	token_not_authorized_for_specified_publish_id: {
		message: 'This publish ID belongs to a different TikTok account or app',
		hint: 'Use the same TikTok credential (the same account and app) that created the post.',
		retryable: false,
	},
	publish_not_cancellable: {
		message: 'This post can no longer be cancelled',
		hint:
			'Only URL (PULL_FROM_URL) posts whose download is still in progress can be cancelled; this one has ' +
			'finished, failed or is already being processed. Use Get Status to see where it is.',
		retryable: false,
	},
	non_sandbox_target: {
		message: "This TikTok account is not a target user of the app's sandbox",
		hint:
			'Add the account as a target user in the sandbox settings of your app in the TikTok developer portal, ' +
			'or use the production (audited) app.',
		retryable: false,
	},
};

/** Extra guidance for the few invalid_params messages seen in the field. */
const INVALID_PARAMS_HINTS: Array<{ pattern: RegExp; hint: string }> = [
	{
		pattern: /chunk/i,
		hint:
			'TikTok rejected the chunk plan. Try the default chunk size (10 MiB) or another value between 5 MiB and 64 MB. ' +
			'Since August 2026 TikTok has been rejecting some multi-chunk uploads of 66–94 MB files; a video ' +
			'compressed to 64 MB or less goes as one chunk and avoids it.',
	},
	{
		pattern: /media_type|post_mode/i,
		hint: 'Use Post Video for videos and Post Photos for images; photo posts need image URLs.',
	},
	{
		pattern: /source info/i,
		hint: 'Photos can only be posted from public URLs; videos need either a binary property or a URL.',
	},
	{
		pattern: /title|description|caption/i,
		hint:
			'Shorten the text: video captions allow 2,200 characters, photo titles 90 and photo descriptions 4,000 ' +
			'(emoji count as 2).',
	},
	{
		pattern: /cover/i,
		hint: 'The photo cover index is 0-based and must point at one of the photo URLs; the video cover time is in milliseconds.',
	},
];

export interface DescribeApiErrorOptions {
	/** The endpoint path (or URL) that failed, for precise scope hints. */
	path?: string;
}

/** Explains a TikTok v2 `error.code` (which can arrive with HTTP 200 as well as 4xx/5xx). */
export function describeApiError(
	code: string,
	tiktokMessage?: string,
	httpStatus?: number,
	options: DescribeApiErrorOptions = {},
): TikTokErrorDescription {
	const normalizedCode = (code ?? '').trim();
	const quoted = quoteTikTokMessage(tiktokMessage);
	const known = lookup(API_ERRORS, normalizedCode);

	if (known) {
		let hint = known.hint;
		if (normalizedCode === 'scope_not_authorized' || normalizedCode === 'scope_permission_missed') {
			hint = scopeHint(options.path);
		} else if (known === INVALID_PARAMS && tiktokMessage) {
			hint = INVALID_PARAMS_HINTS.find((entry) => entry.pattern.test(tiktokMessage))?.hint ?? hint;
		}
		return { message: `${known.message} (${normalizedCode}).${quoted}`, hint, retryable: known.retryable };
	}

	const status = httpStatus !== undefined ? ` (HTTP ${httpStatus})` : '';
	if (normalizedCode === '' || normalizedCode === 'ok') {
		if (httpStatus === 429) return { ...RATE_LIMIT, message: `${RATE_LIMIT.message}${status}.${quoted}` };
		if (httpStatus !== undefined && httpStatus >= 500) {
			return {
				message: `TikTok's server failed${status}.${quoted}`,
				hint: 'This is usually temporary: retry in a few minutes. If it persists, check https://developers.tiktok.com for incidents.',
				retryable: true,
			};
		}
		return {
			message: `TikTok returned an unexpected response${status}.${quoted}`,
			hint: `Retry once; if it happens again, report it with the log_id. TikTok's error reference: ${ERROR_DOCS_URL}`,
			retryable: false,
		};
	}

	const retryable = httpStatus === 429 || (httpStatus !== undefined && httpStatus >= 500);
	return {
		message: `TikTok returned the error "${normalizedCode}"${status}.${quoted}`,
		hint:
			`This code is not documented in TikTok's posting reference. Look it up at ${ERROR_DOCS_URL}` +
			(retryable ? ' and retry in a few minutes' : '') +
			'; TikTok support will ask for the log_id.',
		retryable,
	};
}

const FORMAT_FAILED: TikTokErrorDescription = {
	message: "TikTok could not process the media's file format",
	hint:
		'Videos: re-encode to MP4 with H.264 (or MOV/WebM with H.265, VP8 or VP9). Photos: use JPEG or WebP (not PNG).',
	retryable: false,
};

function pullFailed(kind: 'video' | 'photo'): TikTokErrorDescription {
	return {
		message: `TikTok could not download the ${kind} from its URL`,
		hint:
			'Make sure the URL is public HTTPS, does not redirect, answers quickly and stays reachable for an hour, ' +
			'and is on a verified domain or URL prefix; then post again.',
		retryable: true,
	};
}

const FAIL_REASONS: Record<string, TikTokErrorDescription> = {
	file_format_check_failed: FORMAT_FAILED,
	video_format_not_supported: FORMAT_FAILED, // undocumented, seen in a public test fixture
	duration_check_failed: {
		message: "The video's duration is outside TikTok's limits for this creator",
		hint:
			'Trim the video to at most the maximum the Creator Info operation returns (max_video_post_duration_sec, ' +
			'between 3 and 10 minutes depending on the creator).',
		retryable: false,
	},
	frame_rate_check_failed: {
		message: "The video's frame rate is not supported",
		hint: 'Re-encode the video at a frame rate between 23 and 60 FPS.',
		retryable: false,
	},
	picture_size_check_failed: {
		message: 'The picture size (resolution) is not supported',
		hint:
			'Resize the media: a video must be 360–4096 px in both width and height; photos at most 1080p.',
		retryable: false,
	},
	internal: {
		message: 'TikTok could not publish because part of its backend was unavailable',
		hint: 'Retry the post in a few minutes.',
		retryable: true,
	},
	video_pull_failed: pullFailed('video'),
	photo_pull_failed: pullFailed('photo'),
	publish_cancelled: {
		message: 'The post was cancelled before TikTok finished downloading it',
		hint: 'It was cancelled with the Cancel operation (or another client of your app). Post again if that was not intended.',
		retryable: false,
	},
	auth_removed: {
		message: 'The creator removed this app’s access to their TikTok account while the post was being processed',
		hint: 'Reconnect the TikTok credential (the creator must approve the app again), then post again.',
		retryable: false,
	},
	spam_risk_too_many_posts: SPAM_TOO_MANY_POSTS,
	spam_risk_user_banned_from_posting: SPAM_BANNED,
	spam_risk_text: {
		message: 'TikTok judged the caption or description to be spam or risky',
		hint: 'Edit the caption (fewer hashtags, mentions and links, no repeated text), then post again.',
		retryable: false,
	},
	spam_risk: {
		message: 'TikTok judged this post request to be risky',
		hint:
			'Avoid posting the same content repeatedly in a short time; wait a while before posting again, or post from the TikTok app.',
		retryable: false,
	},
};

/** Explains a `fail_reason` from status/fetch (or a webhook's `reason`). */
export function describeFailReason(failReason: string): TikTokErrorDescription {
	const reason = (failReason ?? '').trim();
	const known = lookup(FAIL_REASONS, reason);
	if (known) return { ...known, message: `${known.message} (${reason}).` };
	return {
		message: reason
			? `TikTok could not publish the post (fail reason "${reason}").`
			: 'TikTok could not publish the post and gave no reason.',
		hint: `This reason is not documented in TikTok's posting reference. Check the media and post again; TikTok support will ask for the publish_id. Error reference: ${ERROR_DOCS_URL}`,
		retryable: false,
	};
}

const OAUTH_ERRORS: Record<string, TikTokErrorDescription> = {
	access_denied: {
		message: 'The TikTok user declined the authorization request',
		hint: 'Reconnect the credential and approve all the permissions the app asks for.',
		retryable: false,
	},
	invalid_client: {
		message: "TikTok did not accept the app's client key or client secret",
		hint:
			'Copy the Client Key and Client Secret from your app in the TikTok developer portal into the credential ' +
			'(TikTok uses a client key, not a client ID), then reconnect.',
		retryable: false,
	},
	invalid_grant: {
		message: 'The authorization code or refresh token is invalid, expired, revoked or for another app',
		hint:
			'Reconnect the credential to get new tokens. If it fails while connecting, check that the Redirect URI ' +
			'registered in the TikTok developer portal matches the credential exactly.',
		retryable: false,
	},
	invalid_request: {
		message: 'The OAuth request has a missing or malformed parameter',
		hint:
			"Check the credential's Client Key, scopes and Redirect URI (exactly as registered: https, no query string), then reconnect.",
		retryable: false,
	},
	invalid_scope: {
		message: 'A requested scope is invalid or unknown',
		hint:
			'List only scopes your app is approved for, separated by commas, e.g. user.info.basic,video.publish,video.upload; then reconnect.',
		retryable: false,
	},
	unauthorized_client: {
		message: 'This app is not allowed to use this authorization method',
		hint:
			'In the TikTok developer portal add Login Kit to the app and make sure the app is live or the account is a sandbox target user; then reconnect.',
		retryable: false,
	},
	unsupported_grant_type: {
		message: 'TikTok does not support the grant type the credential used',
		hint: 'Use the TikTok credentials from this package; if they produced this error, please report it as a bug.',
		retryable: false,
	},
	unsupported_response_type: {
		message: 'TikTok does not support the response type the credential requested',
		hint: 'Use the TikTok credentials from this package; if they produced this error, please report it as a bug.',
		retryable: false,
	},
	server_error: {
		message: "TikTok's authorization server had an error",
		hint: 'Retry in a few minutes.',
		retryable: true,
	},
	temporarily_unavailable: {
		message: "TikTok's authorization server is temporarily unavailable",
		hint: 'Retry in a few minutes.',
		retryable: true,
	},
	non_sandbox_target: API_ERRORS.non_sandbox_target,
	// The token endpoint may also answer with a v2 API code in `error`.
	access_token_invalid: API_ERRORS.access_token_invalid,
	scope_not_authorized: { ...API_ERRORS.scope_not_authorized, hint: scopeHint(undefined) },
	rate_limit_exceeded: RATE_LIMIT,
};

/** Explains an OAuth error from the authorize redirect or the token endpoint (flat `error`/`error_description`). */
export function describeOAuthError(error: string, errorDescription?: string): TikTokErrorDescription {
	const code = (error ?? '').trim();
	const quoted = quoteTikTokMessage(errorDescription);
	const known = lookup(OAUTH_ERRORS, code);
	if (known) {
		let hint = known.hint;
		if (errorDescription && /redirect/i.test(errorDescription) && !/Redirect URI/.test(hint)) {
			hint = `${hint} Also check that the Redirect URI matches the one registered in the TikTok developer portal exactly.`;
		}
		return { message: `${known.message} (${code}).${quoted}`, hint, retryable: known.retryable };
	}
	return {
		message: `TikTok's authorization failed with "${code || 'unknown error'}".${quoted}`,
		hint:
			"Check the credential's Client Key, Client Secret, scopes and Redirect URI against the TikTok developer portal, then reconnect.",
		retryable: false,
	};
}

/** Explains the HTTP status of a chunk PUT to the upload URL. */
export function describeUploadStatus(httpStatus: number): TikTokErrorDescription {
	if (httpStatus === 200 || httpStatus === 201 || httpStatus === 206) {
		return {
			message: `TikTok accepted the upload (HTTP ${httpStatus}).`,
			hint: 'Nothing to fix.',
			retryable: false,
		};
	}
	switch (httpStatus) {
		case 400:
			return {
				message: 'TikTok rejected the chunk upload request (HTTP 400): its headers did not match the data.',
				hint: 'The file may have changed during the upload. Run the node again; if it keeps happening, report it as a bug with the publish_id.',
				retryable: false,
			};
		case 403:
			return {
				message: 'The upload URL has expired (HTTP 403): TikTok allows one hour to upload a video.',
				hint:
					'Run the node again to start a new upload (this creates a new publish_id; the node never restarts an upload ' +
					'by itself, to avoid duplicate posts). If uploads take close to an hour, use a faster connection or post from a URL.',
				retryable: false,
			};
		case 404:
		case 405:
			return {
				message: `TikTok has no upload in progress for this upload URL (HTTP ${httpStatus}).`,
				hint: 'The upload session was closed or has expired. Run the node again to start a new upload.',
				retryable: false,
			};
		case 408:
			return {
				message: 'The chunk upload timed out (HTTP 408).',
				hint: 'Retry; if it keeps happening, lower the Chunk Size option or check the network connection.',
				retryable: true,
			};
		case 413:
			return {
				message: 'TikTok refused the chunk as too large (HTTP 413).',
				hint: 'Lower the Chunk Size option (for example to the default 10 MiB) and run the node again.',
				retryable: false,
			};
		case 416:
			return {
				message: 'TikTok expected a different byte range for this chunk (HTTP 416).',
				hint: 'The node resumes from the byte TikTok reports; if this persists, run the node again to start a new upload.',
				retryable: true,
			};
		case 429:
			return {
				message: 'Too many upload requests (HTTP 429).',
				hint: 'Wait a minute and retry, or send fewer items per run.',
				retryable: true,
			};
	}
	if (httpStatus >= 500 && httpStatus <= 599) {
		return {
			message: `TikTok's upload server failed (HTTP ${httpStatus}).`,
			hint: 'This is usually temporary: retry the chunk; if it keeps failing, run the node again later.',
			retryable: true,
		};
	}
	return {
		message: `TikTok answered the chunk upload with an unexpected HTTP ${httpStatus}.`,
		hint: 'Run the node again; if it keeps happening, report it with the publish_id.',
		retryable: false,
	};
}
