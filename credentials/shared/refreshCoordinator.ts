import { createHash } from 'crypto';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { normalizeApiBaseUrl } from './tikTokEndpoints';
import type { RefreshedTokens, RefreshResult } from './tikTokTokenRefresh';

/**
 * Since November 2026 TikTok rotates refresh tokens: a refresh returns a new one and the one sent
 * stops working. n8n runs this credential's refresh once per execution that meets an expired
 * token, with no lock, so executions overlapping after an expiry would each present the same
 * refresh token and all but the first would be refused. Within this n8n process that cannot
 * happen:
 * - refreshes of the same refresh token share one request to TikTok;
 * - an execution that read the credential before the new tokens were stored (it still presents
 *   the replaced refresh token) is given the replacement, while its access token is still fresh.
 * Nothing here is persisted: n8n stores what the credential returns.
 */
const inFlight = new Map<string, Promise<RefreshedTokens>>();
const replaced = new Map<string, { tokens: RefreshedTokens; usableUntil: number }>();

const MAX_REMEMBERED = 200;
/** A replacement is handed out only while its access token has at least this long to live. */
const FRESHNESS_MARGIN_SEC = 300;
/** TikTok did not say how long the access token lives: hand it out for a short while only. */
const UNKNOWN_LIFETIME_SEC = 600;
const MAX_CHAIN = 10;

/** Which app, server and refresh token a refresh is for, without keeping the token itself. */
export function refreshKey(credentials: ICredentialDataDecryptedObject, refreshToken = credentials.refreshToken): string {
	return createHash('sha256')
		.update(
			[
				normalizeApiBaseUrl(credentials.apiBaseUrl),
				String(credentials.clientKey ?? '').trim(),
				String(refreshToken ?? '').trim(),
			].join('\n'),
		)
		.digest('hex');
}

export async function refreshOnce(
	credentials: ICredentialDataDecryptedObject,
	refresh: () => Promise<RefreshResult>,
	now: () => number = Date.now,
): Promise<RefreshedTokens> {
	const key = refreshKey(credentials);
	const known = newestReplacement(credentials, key, now());
	if (known) return known;
	const running = inFlight.get(key);
	if (running) return await running;
	const started = (async () => {
		const result = await refresh();
		remember(credentials, key, result, now());
		return result.tokens;
	})();
	inFlight.set(key, started);
	try {
		return await started;
	} finally {
		inFlight.delete(key);
	}
}

function newestReplacement(
	credentials: ICredentialDataDecryptedObject,
	key: string,
	now: number,
): RefreshedTokens | undefined {
	let entry = replaced.get(key);
	if (!entry || entry.usableUntil <= now) return undefined;
	// Replaced more than once in this process: hand out the newest that is still fresh.
	for (let hop = 0; hop < MAX_CHAIN; hop++) {
		const next = replaced.get(refreshKey(credentials, entry.tokens.refreshToken));
		if (!next || next.usableUntil <= now) break;
		entry = next;
	}
	return entry.tokens;
}

function remember(credentials: ICredentialDataDecryptedObject, key: string, result: RefreshResult, now: number): void {
	// Without rotation the same refresh token keeps working: a late caller may simply refresh.
	if (refreshKey(credentials, result.tokens.refreshToken) === key) return;
	const lifetime = result.accessTokenLifetimeSec > 0 ? result.accessTokenLifetimeSec - FRESHNESS_MARGIN_SEC : UNKNOWN_LIFETIME_SEC;
	if (lifetime <= 0) return;
	replaced.set(key, { tokens: result.tokens, usableUntil: now + lifetime * 1000 });
	for (const [entryKey, entry] of replaced) {
		if (replaced.size <= MAX_REMEMBERED && entry.usableUntil > now) continue;
		replaced.delete(entryKey);
	}
}

/** Forgets everything (unit tests). */
export function resetRefreshCoordination(): void {
	inFlight.clear();
	replaced.clear();
}
