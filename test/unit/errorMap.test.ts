import {
	describeApiError,
	describeFailReason,
	describeOAuthError,
	describeUploadStatus,
	InputError,
	redactSecrets,
	REQUIRED_SCOPE_BY_PATH,
	requiredScopeFor,
} from '../../nodes/TikTok/shared/errorMap';

const GENERIC_MARKER = /not documented/;

/** Every code in the API reference (§2–§9, §12), with the remedy its hint must name. */
const API_CODES: Array<[code: string, remedy: RegExp, retryable: boolean]> = [
	['access_token_invalid', /[Rr]econnect/, false],
	['scope_not_authorized', /scope.*reconnect/s, false],
	['scope_permission_missed', /scope.*reconnect/s, false],
	['invalid_params', /[Cc]heck/, false],
	['invalid_param', /[Cc]heck/, false],
	['rate_limit_exceeded', /[Ww]ait a minute/, true],
	['internal_error', /[Rr]etry/, true],
	['invalid_file_upload', /MP4.*re-encode/s, false],
	['spam_risk_too_many_posts', /24 hours/, false],
	['spam_risk_user_banned_from_posting', /TikTok app/, false],
	['spam_risk_too_many_pending_share', /inbox/, false],
	['reached_active_user_cap', /audit/, false],
	['unaudited_client_can_only_post_to_private_accounts', /audit.*private|private.*audit/s, false],
	['url_ownership_unverified', /verify the domain/, false],
	['privacy_level_option_mismatch', /Creator Info/, false],
	['app_version_check_failed', /update the TikTok app/, false],
	['invalid_publish_id', /publish_id/, false],
	['token_not_authorized_for_specified_publish_id', /same TikTok credential/, false],
	['publish_not_cancellable', /Get Status/, false],
	['non_sandbox_target', /sandbox/, false],
];

describe('describeApiError', () => {
	it.each(API_CODES)('explains %s with a specific remedy', (code, remedy, retryable) => {
		const description = describeApiError(code, 'Please review our integration guidelines', 403);
		expect(description.message).toContain(code);
		expect(description.message).not.toMatch(GENERIC_MARKER);
		expect(description.hint).toMatch(remedy);
		expect(description.hint).not.toMatch(GENERIC_MARKER);
		expect(description.retryable).toBe(retryable);
	});

	it('explains why an unaudited app can only post privately, and the ways out', () => {
		const { hint } = describeApiError('unaudited_client_can_only_post_to_private_accounts');
		expect(hint).toMatch(/SELF_ONLY/);
		expect(hint).toMatch(/Draft/);
		expect(hint).toContain('https://developers.tiktok.com/application/content-posting-api');
	});

	it('quotes TikTok\'s own message, which carries the detail for invalid_params', () => {
		const description = describeApiError('invalid_params', 'The chunk size is invalid', 400);
		expect(description.message).toContain('The chunk size is invalid');
		expect(description.hint).toMatch(/chunk size/);
		expect(description.hint).toMatch(/64 MB/);
	});

	it.each([
		['Invalid media_type or post_mode', /Post Photos/],
		['The request source info is empty or incorrect', /public URLs/],
		['title is too long', /2,200/],
	])('gives a targeted hint for invalid_params "%s"', (message, hint) => {
		expect(describeApiError('invalid_param', message).hint).toMatch(hint);
	});

	it('names the exact scope when the failing endpoint is known', () => {
		expect(describeApiError('scope_not_authorized', '', 401, { path: '/v2/post/publish/inbox/video/init/' }).hint).toMatch(
			/scope video\.upload/,
		);
		expect(
			describeApiError('scope_not_authorized', '', 401, {
				path: 'https://open.tiktokapis.com/v2/post/publish/video/init',
			}).hint,
		).toMatch(/scope video\.publish/);
		expect(describeApiError('scope_not_authorized').hint).toMatch(/video\.publish.*video\.upload/s);
	});

	it('never repeats a token or signed URL that appears in TikTok\'s message', () => {
		const description = describeApiError(
			'invalid_params',
			'bad token act.SECRETabc123!xyz for https://open-upload.tiktokapis.com/upload?upload_id=1&upload_token=SECRET2',
		);
		expect(description.message).not.toMatch(/SECRET/);
		expect(description.message).toContain('act.[redacted]');
	});

	it('clips a very long TikTok message', () => {
		const description = describeApiError('internal_error', 'x'.repeat(5_000));
		expect(description.message.length).toBeLessThan(500);
	});

	it('keeps an unknown code in a generic but useful description', () => {
		const description = describeApiError('brand_new_code', 'Something new happened', 400);
		expect(description.message).toContain('brand_new_code');
		expect(description.message).toContain('Something new happened');
		expect(description.message).toContain('HTTP 400');
		expect(description.hint).toContain('log_id');
		expect(description.retryable).toBe(false);
	});

	it('treats unknown codes with HTTP 429 or 5xx as retryable', () => {
		expect(describeApiError('weird', undefined, 503).retryable).toBe(true);
		expect(describeApiError('weird', undefined, 429).retryable).toBe(true);
	});

	it('describes an error status without a code', () => {
		expect(describeApiError('', undefined, 502)).toMatchObject({ retryable: true, message: expect.stringContaining('HTTP 502') });
		expect(describeApiError('', undefined, 429).hint).toMatch(/Wait a minute/);
		expect(describeApiError('ok', undefined, 418).message).toContain('HTTP 418');
	});

	it('is not fooled by codes that are Object.prototype keys', () => {
		const description = describeApiError('constructor');
		expect(description.message).toContain('"constructor"');
		expect(typeof description.hint).toBe('string');
	});
});

/** Every fail_reason of status/fetch (§8). */
const FAIL_REASONS: Array<[reason: string, remedy: RegExp, retryable: boolean]> = [
	['file_format_check_failed', /re-encode/, false],
	['duration_check_failed', /Trim/, false],
	['frame_rate_check_failed', /23 and 60 FPS/, false],
	['picture_size_check_failed', /Resize/, false],
	['internal', /Retry/, true],
	['video_pull_failed', /URL.*verified/s, true],
	['photo_pull_failed', /URL.*verified/s, true],
	['publish_cancelled', /Cancel operation/, false],
	['auth_removed', /Reconnect/, false],
	['spam_risk_too_many_posts', /24 hours/, false],
	['spam_risk_user_banned_from_posting', /TikTok app/, false],
	['spam_risk_text', /caption/, false],
	['spam_risk', /wait/, false],
	['video_format_not_supported', /re-encode/, false],
];

describe('describeFailReason', () => {
	it.each(FAIL_REASONS)('explains %s', (reason, remedy, retryable) => {
		const description = describeFailReason(reason);
		expect(description.message).toContain(reason);
		expect(description.hint).toMatch(remedy);
		expect(description.hint).not.toMatch(GENERIC_MARKER);
		expect(description.retryable).toBe(retryable);
	});

	it('describes an unknown reason generically, naming it', () => {
		const description = describeFailReason('cosmic_ray');
		expect(description.message).toContain('cosmic_ray');
		expect(description.hint).toMatch(GENERIC_MARKER);
	});

	it('describes an empty reason', () => {
		expect(describeFailReason('').message).toMatch(/no reason/);
	});
});

/** Every OAuth error of the token endpoint (§15.2), plus the sandbox one (§12). */
const OAUTH_ERRORS: Array<[error: string, remedy: RegExp, retryable: boolean]> = [
	['access_denied', /approve/, false],
	['invalid_client', /Client Key and Client Secret/, false],
	['invalid_grant', /Reconnect/, false],
	['invalid_request', /Redirect URI/, false],
	['invalid_scope', /video\.publish/, false],
	['unauthorized_client', /Login Kit/, false],
	['unsupported_grant_type', /bug/, false],
	['unsupported_response_type', /bug/, false],
	['server_error', /Retry/, true],
	['temporarily_unavailable', /Retry/, true],
	['non_sandbox_target', /sandbox/, false],
];

describe('describeOAuthError', () => {
	it.each(OAUTH_ERRORS)('explains %s', (error, remedy, retryable) => {
		const description = describeOAuthError(error, 'details here');
		expect(description.message).toContain(error);
		expect(description.message).toContain('details here');
		expect(description.hint).toMatch(remedy);
		expect(description.retryable).toBe(retryable);
	});

	it('points at the redirect URI when TikTok mentions it', () => {
		const { hint } = describeOAuthError(
			'invalid_grant',
			'Redirect_uri is not matched with the uri when requesting code.',
		);
		expect(hint).toMatch(/Redirect URI/);
	});

	it('keeps an unknown OAuth error recognisable', () => {
		const description = describeOAuthError('mystery_error');
		expect(description.message).toContain('mystery_error');
		expect(description.hint).toMatch(/Client Key/);
	});

	it('redacts a refresh token in the description', () => {
		expect(describeOAuthError('invalid_grant', 'refresh token rft.abcDEF123 revoked').message).not.toContain('abcDEF123');
	});
});

describe('describeUploadStatus', () => {
	it.each([
		[400, /again/, false],
		[403, /one hour|new upload/, false],
		[404, /new upload/, false],
		[405, /new upload/, false],
		[408, /Retry/, true],
		[413, /Chunk Size/, false],
		[416, /resumes/, true],
		[429, /Wait a minute/, true],
		[500, /retry/, true],
		[502, /retry/, true],
		[504, /retry/, true],
	])('explains HTTP %i', (status, remedy, retryable) => {
		const description = describeUploadStatus(status);
		expect(description.message).toContain(String(status));
		expect(description.hint).toMatch(remedy);
		expect(description.retryable).toBe(retryable);
	});

	it('says an expired upload URL (403) is never restarted automatically', () => {
		expect(describeUploadStatus(403).hint).toMatch(/never restarts/);
	});

	it('does not call 200/201/206 an error, and handles unexpected statuses', () => {
		for (const status of [200, 201, 206]) expect(describeUploadStatus(status).message).toMatch(/accepted/);
		expect(describeUploadStatus(302).message).toContain('302');
		expect(describeUploadStatus(302).retryable).toBe(false);
	});
});

describe('scopes and redaction', () => {
	it('maps every Content Posting endpoint to its scope', () => {
		expect(REQUIRED_SCOPE_BY_PATH['/v2/post/publish/video/init/']).toBe('video.publish');
		expect(REQUIRED_SCOPE_BY_PATH['/v2/post/publish/inbox/video/init/']).toBe('video.upload');
		expect(REQUIRED_SCOPE_BY_PATH['/v2/post/publish/creator_info/query/']).toBe('video.publish');
		expect(REQUIRED_SCOPE_BY_PATH['/v2/post/publish/content/init/']).toMatch(/video\.publish.*video\.upload/);
		expect(REQUIRED_SCOPE_BY_PATH['/v2/post/publish/status/fetch/']).toMatch(/video\.publish.*video\.upload/);
		expect(REQUIRED_SCOPE_BY_PATH['/v2/post/publish/cancel/']).toMatch(/video\.publish.*video\.upload/);
	});

	it('finds the scope from a URL with query string', () => {
		expect(requiredScopeFor('https://open.tiktokapis.com/v2/post/publish/inbox/video/init/?x=1')).toBe('video.upload');
		expect(requiredScopeFor('/v2/unknown/')).toBeUndefined();
		expect(requiredScopeFor(undefined)).toBeUndefined();
	});

	it('redacts tokens, secrets in query strings and signed URL queries', () => {
		const text = redactSecrets(
			'act.1234abcd rft.zz99 clt.q https://u.example/x?upload_token=abc client_secret=shh&b=2',
		);
		expect(text).not.toMatch(/1234abcd|zz99|abc\b|shh/);
		expect(text).toContain('https://u.example/x?[redacted]');
	});
});

describe('InputError', () => {
	it('carries a message and a hint', () => {
		const error = new InputError('what is wrong', 'how to fix it');
		expect(error).toBeInstanceOf(Error);
		expect(error.name).toBe('InputError');
		expect(error.message).toBe('what is wrong');
		expect(error.hint).toBe('how to fix it');
	});
});
