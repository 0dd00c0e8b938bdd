// Per-token rate limits on a sliding one-minute window of the emulator clock (reference §1, [RL]).
const WINDOW_MS = 60_000;

export class RateLimiter {
	private hits = new Map<string, number[]>();

	/** Records a request and answers whether it is within `limit` per minute. */
	allow(key: string, limit: number, now: number): boolean {
		const recent = (this.hits.get(key) ?? []).filter((at) => now - at < WINDOW_MS && at <= now);
		if (recent.length >= limit) {
			this.hits.set(key, recent);
			return false;
		}
		recent.push(now);
		this.hits.set(key, recent);
		return true;
	}

	clear(): void {
		this.hits.clear();
	}
}
