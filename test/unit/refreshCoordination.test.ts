/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
// Token refreshes under TikTok's rotating refresh tokens (November 2026): within one n8n process,
// the Refresh Token credential's refreshes of one token share a request, late readers get the
// replacement, and the node's calls refresh one at a time per credential.
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { refreshKey, refreshOnce, resetRefreshCoordination } from '../../credentials/shared/refreshCoordinator';
import type { RefreshResult } from '../../credentials/shared/tikTokTokenRefresh';
import { afterTokenRejected, refreshGeneration } from '../../nodes/TikTok/transport/refreshGate';

const credentials = (refreshToken: string): ICredentialDataDecryptedObject => ({
	apiBaseUrl: 'https://open.tiktokapis.com',
	clientKey: 'key',
	clientSecret: 'secret',
	refreshToken,
});

/** A stand-in for TikTok's token endpoint that rotates: rft.N → rft.N+1, refusing replaced tokens. */
function rotatingTikTok(lifetimeSec = 7200) {
	let current = 0;
	const presented: string[] = [];
	const refresh = (refreshToken: string) => async (): Promise<RefreshResult> => {
		presented.push(refreshToken);
		await new Promise((resolve) => setTimeout(resolve, 5));
		if (refreshToken !== `rft.${current}`) throw new Error('invalid_grant');
		current++;
		return {
			tokens: { accessToken: `act.${current}`, refreshToken: `rft.${current}`, accessTokenFingerprint: `fp${current}` },
			accessTokenLifetimeSec: lifetimeSec,
		};
	};
	return { refresh, presented };
}

beforeEach(() => resetRefreshCoordination());

describe('refreshOnce (Refresh Token credential)', () => {
	it('lets 8 concurrent refreshes of one token share a single request to TikTok', async () => {
		const tiktok = rotatingTikTok();
		const results = await Promise.all(
			Array.from({ length: 8 }, async () => await refreshOnce(credentials('rft.0'), tiktok.refresh('rft.0'))),
		);
		expect(tiktok.presented).toEqual(['rft.0']);
		expect(new Set(results.map((tokens) => tokens.accessToken))).toEqual(new Set(['act.1']));
		expect(results[0].refreshToken).toBe('rft.1');
	});

	it('hands a caller that still presents the replaced token the replacement, without asking TikTok', async () => {
		const tiktok = rotatingTikTok();
		await refreshOnce(credentials('rft.0'), tiktok.refresh('rft.0'));
		const late = await refreshOnce(credentials('rft.0'), tiktok.refresh('rft.0'));
		expect(late).toMatchObject({ accessToken: 'act.1', refreshToken: 'rft.1' });
		expect(tiktok.presented).toEqual(['rft.0']);
	});

	it('follows a token replaced twice to the newest replacement', async () => {
		const tiktok = rotatingTikTok();
		await refreshOnce(credentials('rft.0'), tiktok.refresh('rft.0'));
		await refreshOnce(credentials('rft.1'), tiktok.refresh('rft.1'));
		expect(await refreshOnce(credentials('rft.0'), tiktok.refresh('rft.0'))).toMatchObject({ refreshToken: 'rft.2' });
		expect(tiktok.presented).toEqual(['rft.0', 'rft.1']);
	});

	it('refreshes the current token for real (only replaced tokens are answered from memory)', async () => {
		const tiktok = rotatingTikTok();
		await refreshOnce(credentials('rft.0'), tiktok.refresh('rft.0'));
		await refreshOnce(credentials('rft.1'), tiktok.refresh('rft.1'));
		expect(tiktok.presented).toEqual(['rft.0', 'rft.1']);
	});

	it('stops handing out a replacement once its access token is close to expiry', async () => {
		const tiktok = rotatingTikTok(7200);
		let now = 1_000_000;
		await refreshOnce(credentials('rft.0'), tiktok.refresh('rft.0'), () => now);
		now += (7200 - 299) * 1000;
		await expect(refreshOnce(credentials('rft.0'), tiktok.refresh('rft.0'), () => now)).rejects.toThrow('invalid_grant');
	});

	it('remembers nothing when TikTok did not rotate (the same token keeps working)', async () => {
		let calls = 0;
		const stable = async (): Promise<RefreshResult> => {
			calls++;
			return { tokens: { accessToken: `act.${calls}`, refreshToken: 'rft.same', accessTokenFingerprint: 'f' }, accessTokenLifetimeSec: 7200 };
		};
		await refreshOnce(credentials('rft.same'), stable);
		await refreshOnce(credentials('rft.same'), stable);
		expect(calls).toBe(2);
	});

	it('keeps refreshes of other apps, servers or tokens apart, and keys without the token itself', async () => {
		const a = refreshKey(credentials('rft.0'));
		expect(a).not.toContain('rft.0');
		expect(refreshKey({ ...credentials('rft.0'), clientKey: 'other' })).not.toBe(a);
		expect(refreshKey({ ...credentials('rft.0'), apiBaseUrl: 'http://127.0.0.1:1/' })).not.toBe(a);
		expect(refreshKey({ ...credentials('rft.0'), apiBaseUrl: 'https://open.tiktokapis.com/' })).toBe(a);
	});

	it('lets a failed refresh fail every caller waiting on it, and the next caller try again', async () => {
		let attempt = 0;
		const flaky = async (): Promise<RefreshResult> => {
			attempt++;
			await new Promise((resolve) => setTimeout(resolve, 5));
			if (attempt === 1) throw new Error('unreachable');
			return { tokens: { accessToken: 'act.ok', refreshToken: 'rft.next', accessTokenFingerprint: 'f' }, accessTokenLifetimeSec: 7200 };
		};
		const waiting = await Promise.allSettled([refreshOnce(credentials('rft.0'), flaky), refreshOnce(credentials('rft.0'), flaky)]);
		expect(waiting.map((result) => result.status)).toEqual(['rejected', 'rejected']);
		expect(await refreshOnce(credentials('rft.0'), flaky)).toMatchObject({ accessToken: 'act.ok' });
		expect(attempt).toBe(2);
	});
});

describe('afterTokenRejected (the node, any credential type)', () => {
	it('lets one caller refresh while the others wait and resend with the stored token', async () => {
		const key = `test:${Math.random()}`;
		let stored = 'expired';
		let refreshes = 0;
		const seen = refreshGeneration(key);
		const callers = Array.from({ length: 8 }, async () =>
			await afterTokenRejected(key, seen, {
				resend: async () => (stored === 'fresh' ? 'ok-after-resend' : undefined),
				refresh: async () => {
					refreshes++;
					await new Promise((resolve) => setTimeout(resolve, 10));
					stored = 'fresh';
					return 'ok-after-refresh';
				},
			}),
		);
		const results = await Promise.all(callers);
		expect(refreshes).toBe(1);
		expect(results.filter((result) => result === 'ok-after-refresh')).toHaveLength(1);
		expect(results.filter((result) => result === 'ok-after-resend')).toHaveLength(7);
	});

	it('resends without refreshing when a refresh finished after the caller sent its request', async () => {
		const key = `test:${Math.random()}`;
		const seen = refreshGeneration(key);
		await afterTokenRejected(key, seen, { resend: async () => 'unused', refresh: async () => 'refreshed' });
		let refreshed = false;
		const result = await afterTokenRejected(key, seen, {
			resend: async () => 'resent',
			refresh: async () => {
				refreshed = true;
				return 'refreshed';
			},
		});
		expect(result).toBe('resent');
		expect(refreshed).toBe(false);
	});

	it('refreshes when the resend is still refused after someone else refreshed', async () => {
		const key = `test:${Math.random()}`;
		const seen = refreshGeneration(key);
		await afterTokenRejected(key, seen, { resend: async () => undefined, refresh: async () => 'first' });
		const result = await afterTokenRejected(key, seen, { resend: async () => undefined, refresh: async () => 'second' });
		expect(result).toBe('second');
	});
});
