/**
 * TikTok's per-token limits per minute, shared by everything this n8n process does with one
 * credential: every item of an operation, every execution running at the same time, the editor's
 * dropdowns. Calls are given send times in order, each at least a minute after the call `limit`
 * places before it, so TikTok never sees more than `limit` in any minute and nobody has to be
 * refused with a 429 first. Other processes and other apps using the same token are not counted:
 * the transport still waits out a 429.
 */
export const LIMITS_PER_MINUTE: Readonly<Record<string, number>> = {
	'/v2/post/publish/creator_info/query/': 20,
	'/v2/post/publish/video/init/': 6,
	'/v2/post/publish/inbox/video/init/': 6,
	'/v2/post/publish/content/init/': 6,
	'/v2/post/publish/status/fetch/': 30,
};

/** A little over a minute: TikTok counts arrivals, which lag the send by the network's delay. */
export const WINDOW_MS = 61_000;

/** Send times granted per credential and endpoint, oldest first; at most `limit` kept. */
const granted = new Map<string, number[]>();

/**
 * Reserves the earliest send time for a call and returns how long to wait for it (0: now).
 * Endpoints without a documented limit are never delayed. With `dryRun` nothing is reserved.
 */
export function reserveSendTime(credentialKey: string, path: string, now: number, dryRun = false): number {
	const limit = LIMITS_PER_MINUTE[path];
	if (limit === undefined) return 0;
	const key = `${credentialKey} ${path}`;
	const times = granted.get(key) ?? [];
	const latest = times.length ? times[times.length - 1] : now;
	const oldestInWindow = times.length >= limit ? times[times.length - limit] + WINDOW_MS : now;
	const sendAt = Math.max(now, latest, oldestInWindow);
	if (dryRun) return sendAt - now;
	times.push(sendAt);
	if (times.length > limit) times.splice(0, times.length - limit);
	granted.set(key, times);
	return sendAt - now;
}

/** Forgets every reservation (unit tests). */
export function resetRateBudgets(): void {
	granted.clear();
}
