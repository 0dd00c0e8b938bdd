// Authorization state: codes, grants, access and refresh tokens (reference §15). A grant is one
// user's authorization of the app; revoking any of its tokens removes the whole grant.
import type { EmulatorConfig } from './config';
import { newAccessToken, newAuthorizationCode, newClientToken, newRefreshToken } from './ids';
import { maskSecret } from './request-log';

export type RevokedReason = 'revoke-endpoint' | 'refresh-token-reuse' | 'authorization-removed';

export interface Grant {
	id: number;
	openId: string;
	clientKey: string;
	scopes: string[];
	revoked: boolean;
	revokedReason: RevokedReason | null;
	/** Fixed at the first grant: refreshing does not extend it (reference §18 q8, conservative). */
	refreshExpiresAt: number;
}

export interface AccessToken {
	token: string;
	grant: Grant;
	expiresAt: number;
}

export interface RefreshToken {
	token: string;
	grant: Grant;
	/** Rotated out by a later refresh (only 'rotate-and-revoke-old' does that). */
	revoked: boolean;
}

/** How a refresh request ended, for GET /__emulator/state. */
export type RefreshOutcome =
	| 'ok'
	/** Unknown, expired or another client's refresh token (or a request that failed earlier). */
	| 'invalid'
	/** A rotated-out refresh token under refreshTokenReuse 'reject'. */
	| 'reused-rejected'
	/** A rotated-out refresh token under refreshTokenReuse 'revoke-grant': the grant is gone. */
	| 'reused-revoked-grant'
	/** A refresh token of a grant that was already revoked. */
	| 'grant-revoked';

export interface RefreshRecord {
	time: string;
	grantId: number | null;
	outcome: RefreshOutcome;
}

export interface AuthorizationCode {
	code: string;
	clientKey: string;
	redirectUri: string;
	openId: string;
	scopes: string[];
	expiresAt: number;
	used: boolean;
	codeChallenge: string | null;
}

export interface TokenPair {
	access_token: string;
	expires_in: number;
	open_id: string;
	refresh_expires_in: number;
	refresh_token: string;
	scope: string;
	token_type: 'Bearer';
}

export interface Lifetimes {
	accessSec: number;
	refreshSec: number;
}

export class TokenStore {
	private grants: Grant[] = [];
	private access = new Map<string, AccessToken>();
	private refresh = new Map<string, RefreshToken>();
	private codes = new Map<string, AuthorizationCode>();
	private clientTokens = new Map<string, number>();
	private refreshes: RefreshRecord[] = [];

	/** `logLimit` bounds the refresh log, like the request log (requestLogLimit). */
	constructor(private readonly logLimit: () => number = () => Infinity) {}

	issueGrant(
		openId: string,
		clientKey: string,
		scopes: string[],
		now: number,
		lifetimes: Lifetimes,
	): TokenPair {
		const grant: Grant = {
			id: this.grants.length + 1,
			openId,
			clientKey,
			scopes,
			revoked: false,
			revokedReason: null,
			refreshExpiresAt: now + lifetimes.refreshSec * 1000,
		};
		this.grants.push(grant);
		const refreshToken = newRefreshToken();
		this.refresh.set(refreshToken, { token: refreshToken, grant, revoked: false });
		return this.issueAccess(grant, refreshToken, now, lifetimes.accessSec);
	}

	private issueAccess(
		grant: Grant,
		refreshToken: string,
		now: number,
		accessSec: number,
	): TokenPair {
		const token = newAccessToken();
		this.access.set(token, { token, grant, expiresAt: now + accessSec * 1000 });
		return {
			access_token: token,
			expires_in: accessSec,
			open_id: grant.openId,
			refresh_expires_in: Math.max(0, Math.floor((grant.refreshExpiresAt - now) / 1000)),
			refresh_token: refreshToken,
			scope: grant.scopes.join(','),
			token_type: 'Bearer',
		};
	}

	/** A usable access token, or the reason it is not. */
	findAccess(token: string, now: number): AccessToken | 'invalid' | 'expired' {
		const found = this.access.get(token);
		if (!found || found.grant.revoked) return 'invalid';
		if (now >= found.expiresAt) return 'expired';
		return found;
	}

	/** The refresh_token grant: a new token pair, or null (invalid_grant). Each call is recorded. */
	refreshGrant(
		value: string,
		clientKey: string,
		now: number,
		config: Pick<
			EmulatorConfig,
			'refreshRotation' | 'refreshTokenReuse' | 'accessTokenLifetimeSec'
		>,
	): TokenPair | null {
		const found = this.refresh.get(value);
		// Another client's token is treated like an unknown one.
		const grant = found?.grant.clientKey === clientKey ? found.grant : undefined;
		const outcome = this.refreshOutcome(found, grant, now, config.refreshTokenReuse);
		this.recordRefresh({
			time: new Date(now).toISOString(),
			grantId: grant?.id ?? null,
			outcome,
		});
		if (outcome !== 'ok' || !found || !grant) return null;
		let refreshToken = found.token;
		if (config.refreshRotation !== 'stable') {
			refreshToken = newRefreshToken();
			this.refresh.set(refreshToken, { token: refreshToken, grant, revoked: false });
			if (config.refreshRotation === 'rotate-and-revoke-old') found.revoked = true;
		}
		return this.issueAccess(grant, refreshToken, now, config.accessTokenLifetimeSec);
	}

	/** Decides a refresh; under 'revoke-grant' a reused token revokes its grant here. */
	private refreshOutcome(
		found: RefreshToken | undefined,
		grant: Grant | undefined,
		now: number,
		reuse: EmulatorConfig['refreshTokenReuse'],
	): RefreshOutcome {
		if (!found || !grant) return 'invalid';
		if (grant.revoked) return 'grant-revoked';
		if (now >= grant.refreshExpiresAt) return 'invalid';
		if (!found.revoked) return 'ok';
		// A rotated-out token came back: replayed, leaked, or the loser of two racing refreshes.
		if (reuse === 'reject') return 'reused-rejected';
		this.revokeGrant(grant, 'refresh-token-reuse');
		return 'reused-revoked-grant';
	}

	/** A refresh request that failed before its token was looked at (bad client, no token). */
	recordInvalidRefresh(now: number): void {
		this.recordRefresh({ time: new Date(now).toISOString(), grantId: null, outcome: 'invalid' });
	}

	private recordRefresh(entry: RefreshRecord): void {
		this.refreshes.push(entry);
		const overflow = this.refreshes.length - this.logLimit();
		if (overflow > 0) this.refreshes.splice(0, overflow);
	}

	private revokeGrant(grant: Grant, reason: RevokedReason): void {
		if (grant.revoked) return;
		grant.revoked = true;
		grant.revokedReason = reason;
	}

	/** Revokes the grant behind an access or refresh token; false if the token is unknown. */
	revoke(token: string, clientKey: string): boolean {
		const grant = this.grantOf(token, clientKey);
		if (!grant) return false;
		this.revokeGrant(grant, 'revoke-endpoint');
		return true;
	}

	/** The grant behind an access or refresh token of this client. */
	grantOf(token: string, clientKey: string): Grant | undefined {
		const grant = this.access.get(token)?.grant ?? this.refresh.get(token)?.grant;
		return grant && grant.clientKey === clientKey ? grant : undefined;
	}

	/** The user's authorization of this client ends (they disconnected, were banned, ...): all grants. */
	removeAuthorization(openId: string, clientKey: string): number {
		const active = this.grants.filter(
			(grant) => grant.openId === openId && grant.clientKey === clientKey && !grant.revoked,
		);
		for (const grant of active) this.revokeGrant(grant, 'authorization-removed');
		return active.length;
	}

	issueClientToken(now: number): {
		access_token: string;
		expires_in: number;
		token_type: 'Bearer';
	} {
		const token = newClientToken();
		this.clientTokens.set(token, now + 7200 * 1000);
		return { access_token: token, expires_in: 7200, token_type: 'Bearer' };
	}

	createCode(details: Omit<AuthorizationCode, 'code' | 'used'>): string {
		const code = newAuthorizationCode();
		this.codes.set(code, { ...details, code, used: false });
		return code;
	}

	findCode(code: string): AuthorizationCode | undefined {
		return this.codes.get(code);
	}

	/** Refresh requests and how each ended, oldest first, for GET /__emulator/state. */
	refreshLog(): RefreshRecord[] {
		return [...this.refreshes];
	}

	/** Every grant's state for GET /__emulator/state (no secrets). */
	grantSummary(): Array<Record<string, unknown>> {
		return this.grants.map((grant) => ({
			id: grant.id,
			open_id: grant.openId,
			revoked: grant.revoked,
			revoked_reason: grant.revokedReason,
			refresh_expires_at: new Date(grant.refreshExpiresAt).toISOString(),
		}));
	}

	/** A summary for GET /__emulator/state: masked tokens only. */
	summary(now: number): Array<Record<string, unknown>> {
		return [...this.access.values()].map((entry) => ({
			access_token: maskSecret(entry.token),
			open_id: entry.grant.openId,
			scope: entry.grant.scopes.join(','),
			expires_at: new Date(entry.expiresAt).toISOString(),
			expired: now >= entry.expiresAt,
			revoked: entry.grant.revoked,
			refresh_tokens: [...this.refresh.values()]
				.filter((refresh) => refresh.grant === entry.grant)
				.map((refresh) => ({ token: maskSecret(refresh.token), revoked: refresh.revoked })),
		}));
	}
}
