/* eslint-disable @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// Login Kit OAuth 2.0 (reference §15): authorize (+ consent), token, revoke.
import { createHash } from 'crypto';
import { consentPage, errorPage } from './consent-page';
import { ALL_SCOPES } from './config';
import {
	BodyTooLargeError,
	readSmallBody,
	redirect,
	respond,
	sendHtml,
	sendJson,
	sendOAuthError,
	type RequestContext,
} from './http';
import { randomHex } from './ids';

const MALFORMED = 'The request parameters are malformed.';

function errorPageStatus(ctx: RequestContext): number {
	return ctx.emulator.config.errorStatus === 200 ? 200 : 400;
}

/** Adds parameters to the redirect URI, as TikTok does on the way back to the app. */
function redirectBack(
	ctx: RequestContext,
	redirectUri: string,
	params: Record<string, string | null>,
): void {
	const target = new URL(redirectUri);
	for (const [name, value] of Object.entries(params))
		if (value !== null) target.searchParams.set(name, value);
	redirect(ctx, target.toString());
}

function isAbsoluteHttpUrl(value: string): boolean {
	try {
		const url = new URL(value);
		return url.protocol === 'https:' || url.protocol === 'http:';
	} catch {
		return false;
	}
}

export function authorizePage(ctx: RequestContext): void {
	const params = ctx.url.searchParams;
	const { app, autoApprove } = ctx.emulator.config;
	if (ctx.log) ctx.log.oauth = paramsSeen(ctx, new URLSearchParams());
	const clientKey = params.get('client_key');
	// Without a trustworthy client and redirect URI TikTok cannot redirect: it shows an error page.
	if (!clientKey) {
		return sendHtml(
			ctx,
			errorPageStatus(ctx),
			errorPage('invalid_request', 'The "client_key" parameter is missing.'),
		);
	}
	if (clientKey !== app.clientKey) {
		return sendHtml(
			ctx,
			errorPageStatus(ctx),
			errorPage('invalid_client', 'client_key is invalid.'),
		);
	}
	const redirectUri = params.get('redirect_uri');
	if (
		!redirectUri ||
		!isAbsoluteHttpUrl(redirectUri) ||
		(app.redirectUris && !app.redirectUris.includes(redirectUri))
	) {
		return sendHtml(
			ctx,
			errorPageStatus(ctx),
			errorPage('invalid_request', 'redirect_uri is missing or not registered for this app.'),
		);
	}
	const state = params.get('state');
	const fail = (error: string, description: string) =>
		redirectBack(ctx, redirectUri, { error, error_description: description, state });
	if (params.get('response_type') !== 'code') {
		return fail('unsupported_response_type', 'response_type must be "code".');
	}
	// Scopes are comma-separated (a space-separated list reads as one unknown scope).
	const scopes = (params.get('scope') ?? '')
		.split(',')
		.map((s) => s.trim())
		.filter(Boolean);
	const known = ALL_SCOPES as readonly string[];
	if (!scopes.length || scopes.some((s) => !known.includes(s) || !app.approvedScopes.includes(s))) {
		return fail('invalid_scope', 'The scope is invalid, unknown or not approved for this app.');
	}
	const challenge = params.get('code_challenge');
	const method = params.get('code_challenge_method');
	if ((challenge || method) && (!challenge || method !== 'S256')) {
		return fail('invalid_request', 'code_challenge_method must be S256 with a code_challenge.');
	}
	const request = {
		clientKey,
		redirectUri,
		state,
		scopes: [...new Set(scopes)],
		codeChallenge: challenge,
	};
	if (autoApprove) return approve(ctx, request, request.scopes);
	const requestId = randomHex(16);
	ctx.emulator.consentRequests.set(requestId, request);
	sendHtml(ctx, 200, consentPage(app.name, request.scopes, requestId));
}

interface AuthorizeRequest {
	clientKey: string;
	redirectUri: string;
	state: string | null;
	scopes: string[];
	codeChallenge: string | null;
}

function approve(ctx: RequestContext, request: AuthorizeRequest, chosen: string[]): void {
	const { config, tokens, clock } = ctx.emulator;
	const forced = config.grantedScopes;
	const granted = request.scopes.filter(
		(scope) =>
			(chosen.includes(scope) || scope === 'user.info.basic') &&
			(!forced || forced.includes(scope)),
	);
	if (!granted.length) {
		return redirectBack(ctx, request.redirectUri, {
			error: 'access_denied',
			error_description: 'No scope was granted.',
			state: request.state,
		});
	}
	const code = tokens.createCode({
		clientKey: request.clientKey,
		redirectUri: request.redirectUri,
		openId: config.creator.openId,
		scopes: granted,
		expiresAt: clock.now() + config.authorizationCodeLifetimeSec * 1000,
		codeChallenge: request.codeChallenge,
	});
	redirectBack(ctx, request.redirectUri, { code, scopes: granted.join(','), state: request.state });
}

export async function consentDecision(ctx: RequestContext): Promise<void> {
	const form = new URLSearchParams(await readSmallBody(ctx.req));
	const requestId = form.get('request_id') ?? '';
	const request = ctx.emulator.consentRequests.get(requestId);
	if (!request) {
		return sendHtml(
			ctx,
			errorPageStatus(ctx),
			errorPage(
				'invalid_request',
				'This authorization request is unknown or was already answered.',
			),
		);
	}
	ctx.emulator.consentRequests.delete(requestId);
	if (form.get('decision') !== 'approve') {
		return redirectBack(ctx, request.redirectUri, {
			error: 'access_denied',
			error_description: 'The user denied the request.',
			state: request.state,
		});
	}
	approve(ctx, request, form.getAll('scope'));
}

/** Which parameter names arrived where (never their values, except client_key). */
function paramsSeen(ctx: RequestContext, body: URLSearchParams) {
	const query = ctx.url.searchParams;
	return {
		query: [...new Set(query.keys())],
		body: [...new Set(body.keys())],
		clientKey: body.get('client_key') ?? query.get('client_key'),
		grantType: body.get('grant_type'),
	};
}

/** Reads the form body; answers invalid_request and returns null unless it is a form. */
async function readForm(ctx: RequestContext): Promise<URLSearchParams | null> {
	const type = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	let text = '';
	try {
		text = await readSmallBody(ctx.req, 64 * 1024);
	} catch (error) {
		if (!(error instanceof BodyTooLargeError)) throw error;
	}
	const form =
		type === 'application/x-www-form-urlencoded'
			? new URLSearchParams(text)
			: new URLSearchParams();
	if (ctx.log) ctx.log.oauth = paramsSeen(ctx, form);
	if (type !== 'application/x-www-form-urlencoded') {
		sendOAuthError(ctx, 400, 'invalid_request', MALFORMED);
		return null;
	}
	return form;
}

/** client_key/client_secret from the body, or also the query when `clientKeyIn` allows it. */
function checkClient(ctx: RequestContext, form: URLSearchParams): string | null {
	const { app, clientKeyIn } = ctx.emulator.config;
	const read = (name: string) =>
		form.get(name) ?? (clientKeyIn === 'body-or-query' ? ctx.url.searchParams.get(name) : null);
	const clientKey = read('client_key');
	const clientSecret = read('client_secret');
	if (!clientKey || !clientSecret) {
		sendOAuthError(ctx, 400, 'invalid_request', MALFORMED);
		return null;
	}
	if (clientKey !== app.clientKey || clientSecret !== app.clientSecret) {
		sendOAuthError(ctx, 401, 'invalid_client', 'Client key or secret is invalid.');
		return null;
	}
	return clientKey;
}

/** PKCE: the desktop doc's hex SHA-256, or RFC 7636 base64url; both accepted (§15.1, §18 q7). */
function verifierMatches(verifier: string, challenge: string): boolean {
	const digest = createHash('sha256').update(verifier).digest();
	return challenge === digest.toString('hex') || challenge === digest.toString('base64url');
}

export async function tokenEndpoint(ctx: RequestContext): Promise<void> {
	const form = await readForm(ctx);
	if (!form) return;
	const { config, tokens, clock } = ctx.emulator;
	const now = clock.now();
	const clientKey = checkClient(ctx, form);
	if (!clientKey) {
		// Still a refresh request that arrived: the state's refresh log counts it as 'invalid'.
		if (form.get('grant_type') === 'refresh_token') tokens.recordInvalidRefresh(now);
		return;
	}
	const lifetimes = {
		accessSec: config.accessTokenLifetimeSec,
		refreshSec: config.refreshTokenLifetimeSec,
	};
	const grantType = form.get('grant_type');
	if (grantType === 'authorization_code') {
		const codeValue = form.get('code');
		const redirectUri = form.get('redirect_uri');
		if (!codeValue || !redirectUri) return sendOAuthError(ctx, 400, 'invalid_request', MALFORMED);
		const code = tokens.findCode(codeValue);
		if (!code || code.used || code.clientKey !== clientKey || now >= code.expiresAt) {
			return sendOAuthError(ctx, 400, 'invalid_grant', 'Authorization code is expired or invalid.');
		}
		if (code.redirectUri !== redirectUri) {
			return sendOAuthError(
				ctx,
				400,
				'invalid_grant',
				'Redirect_uri is not matched with the uri when requesting code.',
			);
		}
		if (code.codeChallenge) {
			const verifier = form.get('code_verifier');
			if (!verifier || !verifierMatches(verifier, code.codeChallenge)) {
				return sendOAuthError(
					ctx,
					400,
					'invalid_grant',
					'Code verifier or code challenge is invalid.',
				);
			}
		}
		code.used = true;
		return sendJson(
			ctx,
			200,
			tokens.issueGrant(code.openId, clientKey, code.scopes, now, lifetimes),
		);
	}
	if (grantType === 'refresh_token') {
		const refreshValue = form.get('refresh_token');
		if (!refreshValue) {
			tokens.recordInvalidRefresh(now);
			return sendOAuthError(ctx, 400, 'invalid_request', MALFORMED);
		}
		const pair = tokens.refreshGrant(refreshValue, clientKey, now, config);
		// Unknown, expired, revoked and rotated-out tokens all look alike to the client (§15.2).
		if (!pair)
			return sendOAuthError(ctx, 400, 'invalid_grant', 'Refresh token is invalid or expired.');
		return sendJson(ctx, 200, pair);
	}
	if (grantType === 'client_credentials') return sendJson(ctx, 200, tokens.issueClientToken(now));
	sendOAuthError(ctx, 400, 'unsupported_grant_type', 'The grant_type is not supported.');
}

export async function revokeEndpoint(ctx: RequestContext): Promise<void> {
	const form = await readForm(ctx);
	if (!form) return;
	const clientKey = checkClient(ctx, form);
	if (!clientKey) return;
	const token = form.get('token');
	if (!token) return sendOAuthError(ctx, 400, 'invalid_request', MALFORMED);
	const grant = ctx.emulator.tokens.grantOf(token, clientKey);
	const wasActive = grant !== undefined && !grant.revoked;
	ctx.emulator.tokens.revoke(token, clientKey);
	// The developer revoked it: TikTok's authorization.removed with reason 5 (§14).
	if (grant && wasActive) ctx.emulator.webhooks.emit('authorization.removed', grant.openId, { reason: 5 }, null);
	// An empty body means success (§15.2); unknown tokens are not an error (RFC 7009).
	respond(ctx, 200, {});
}
