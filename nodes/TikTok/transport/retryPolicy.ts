/**
 * The one place that decides what the node may send again. A post must never be created twice,
 * so only requests TikTok provably did not act on are repeated, plus chunk PUTs (TikTok's upload
 * host keeps track of the bytes it holds, and a 416 tells where it stands):
 *
 * | what happened                              | read call      | post init            | chunk PUT |
 * |--------------------------------------------|----------------|----------------------|-----------|
 * | TikTok answered with an error code (4xx or 200) | rejected, not repeated | rejected: nothing was posted | -  |
 * | 429 / rate_limit_exceeded                  | waited out     | waited out (rejected)| -         |
 * | 401 (token expired)                        | refresh, resend| refresh, resend      | -         |
 * | the refresh itself was refused (race)      | resend later   | resend later (the request never reached TikTok) | - |
 * | 5xx, no answer, dropped connection, timeout | resend         | unknown: reported, never repeated | resend |
 */

export type CallKind = 'read' | 'init';

/** How TikTok's side ended, as far as the node can tell. */
export type Outcome =
	| { answered: true; statusCode: number; rateLimited: boolean }
	| { answered: false };

/** TikTok's windows are one minute; these waits add up to about two and a half minutes. */
export const RATE_LIMIT_WAITS_MS = [5_000, 10_000, 20_000, 30_000, 40_000, 45_000];
/** Read-only calls that met a 5xx or got no answer are tried again after these waits. */
export const TRANSIENT_WAITS_MS = [1_000, 3_000];
/** TikTok says to resend a chunk after a 5xx; a dropped connection is treated the same way. */
export const PUT_RETRY_WAITS_MS = [1_000, 2_000, 4_000, 8_000];
/**
 * A refresh refused because another n8n process refreshed the same credential a moment earlier
 * (its rotated refresh token replaced ours): by then the winner has stored the new tokens, which
 * the next attempt reads.
 */
export const REFRESH_RACE_WAITS_MS = [1_500, 4_000];

export interface Attempts {
	rateLimited: number;
	transient: number;
}

/**
 * Whether a non-ok answer or a missing answer may be sent again, and after how long.
 * `interactive` calls (a dropdown loading in the editor) never wait: the user is watching.
 */
export function retryDelay(kind: CallKind, outcome: Outcome, attempts: Attempts, interactive = false): number | undefined {
	if (interactive) return undefined;
	if (outcome.answered && outcome.rateLimited) return RATE_LIMIT_WAITS_MS[attempts.rateLimited];
	if (kind === 'init') return undefined;
	if (!outcome.answered || outcome.statusCode >= 500) return TRANSIENT_WAITS_MS[attempts.transient];
	return undefined;
}

/** After an init failed this way, may TikTok hold the post anyway? */
export function initMayHaveCreatedPost(outcome: Outcome): boolean {
	return !outcome.answered || outcome.statusCode >= 500;
}

/** A chunk PUT answered with this status (or with none) is sent again. */
export function putRetryDelay(statusCode: number | undefined, attempt: number): number | undefined {
	if (statusCode !== undefined && statusCode < 500) return undefined;
	return PUT_RETRY_WAITS_MS[attempt];
}
