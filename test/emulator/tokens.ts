// Authorization state: codes, grants, access and refresh tokens (reference §15). A grant is one
// user's authorization of the app; revoking any of its tokens removes the whole grant.
import { newAccessToken, newAuthorizationCode, newClientToken, newRefreshToken } from './ids';
import { maskSecret } from './request-log';

export interface Grant {
	id: number;
	openId: string;
	clientKey: string;
	scopes: string[];
	revoked: boolean;
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
	revoked: boolean;
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

	findRefresh(token: string, clientKey: string, now: number): RefreshToken | undefined {
		const found = this.refresh.get(token);
		if (!found || found.revoked || found.grant.revoked) return undefined;
		if (found.grant.clientKey !== clientKey) return undefined;
		if (now >= found.grant.refreshExpiresAt) return undefined;
		return found;
	}

	refreshGrant(
		old: RefreshToken,
		rotation: 'stable' | 'rotate' | 'rotate-and-revoke-old',
		now: number,
		accessSec: number,
	): TokenPair {
		let refreshToken = old.token;
		if (rotation !== 'stable') {
			refreshToken = newRefreshToken();
			this.refresh.set(refreshToken, { token: refreshToken, grant: old.grant, revoked: false });
			if (rotation === 'rotate-and-revoke-old') old.revoked = true;
		}
		return this.issueAccess(old.grant, refreshToken, now, accessSec);
	}

	/** Revokes the grant behind an access or refresh token; false if the token is unknown. */
	revoke(token: string, clientKey: string): boolean {
		const grant = this.access.get(token)?.grant ?? this.refresh.get(token)?.grant;
		if (!grant || grant.clientKey !== clientKey) return false;
		grant.revoked = true;
		return true;
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
