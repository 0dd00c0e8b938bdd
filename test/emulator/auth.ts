// Bearer token, scope and rate-limit checks of the v2 API (reference §1, §2, §15.3).
import { sendApiError, type RequestContext } from './http';
import type { RateLimitsPerMinute } from './config';
import type { AccessToken } from './tokens';

export function authenticate(ctx: RequestContext): AccessToken | null {
	const header = ctx.req.headers.authorization ?? '';
	const match = /^Bearer (.+)$/.exec(header);
	const found = match
		? ctx.emulator.tokens.findAccess(match[1].trim(), ctx.emulator.clock.now())
		: 'invalid';
	if (found === 'invalid') {
		sendApiError(
			ctx,
			401,
			'access_token_invalid',
			'The access token is invalid or not found in the request.',
		);
		return null;
	}
	if (found === 'expired') {
		sendApiError(ctx, 401, 'access_token_invalid', 'The access token has expired.');
		return null;
	}
	return found;
}

/** The token must hold at least one of `anyOf`. */
export function requireScope(ctx: RequestContext, token: AccessToken, anyOf: string[]): boolean {
	if (anyOf.some((scope) => token.grant.scopes.includes(scope))) return true;
	sendApiError(
		ctx,
		401,
		'scope_not_authorized',
		`The user did not authorize the scope required for completing this request (${anyOf.join(' or ')}).`,
	);
	return false;
}

export function withinRateLimit(
	ctx: RequestContext,
	token: AccessToken,
	endpoint: keyof RateLimitsPerMinute,
): boolean {
	const { config, rateLimiter, clock } = ctx.emulator;
	if (!config.rateLimits) return true;
	const limit = config.rateLimitPerMinute[endpoint];
	if (rateLimiter.allow(`${token.token} ${endpoint}`, limit, clock.now())) return true;
	sendApiError(ctx, 429, 'rate_limit_exceeded', 'API rate limit was exceeded. Please retry later.');
	return false;
}

/** authenticate + requireScope + withinRateLimit, the common preamble of an endpoint. */
export function authorize(
	ctx: RequestContext,
	anyOf: string[],
	endpoint: keyof RateLimitsPerMinute,
): AccessToken | null {
	const token = authenticate(ctx);
	if (!token || !requireScope(ctx, token, anyOf) || !withinRateLimit(ctx, token, endpoint))
		return null;
	return token;
}
