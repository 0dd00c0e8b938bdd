// Scripted faults (POST /__emulator/faults): answer with a chosen status/body, delay, or drop the
// connection, for requests matched by method, path and (for upload PUTs) chunk index.

export interface FaultSpec {
	method?: string;
	/** A path prefix (e.g. "/v2/post/publish/status/fetch/"), or a regex if it starts with "^". */
	path?: string;
	/** Upload PUTs only: the 0-based chunk the PUT carries (first byte index / chunk_size). */
	chunkIndex?: number;
	/** How many matching requests it hits (default 1); -1 means every one until reset. */
	times?: number;
	/** Let this many matching requests through first (e.g. 1: the second item's init). */
	skip?: number;
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	delayMs?: number;
	/**
	 * Reads an upload's body at most this fast (a slow uplink). Unlike delayMs, the socket keeps
	 * being read, so a client that gives up is seen (abortedAtMs in the request log) once the bytes
	 * its socket already held have arrived.
	 */
	throttleBytesPerSecond?: number;
	drop?: 'before-response' | 'mid-request';
}

interface ActiveFault extends FaultSpec {
	remaining: number;
	hits: number;
	skipped: number;
}

export interface FaultMatchInput {
	method: string;
	pathname: string;
	pathWithQuery: string;
	chunkIndex?: number;
}

export function validateFault(spec: unknown): FaultSpec {
	if (typeof spec !== 'object' || spec === null) throw new Error('each fault must be an object');
	const fault = spec as FaultSpec;
	if (
		fault.drop !== undefined &&
		fault.drop !== 'before-response' &&
		fault.drop !== 'mid-request'
	) {
		throw new Error('drop must be "before-response" or "mid-request"');
	}
	if (fault.path?.startsWith('^')) new RegExp(fault.path);
	if (fault.skip !== undefined && (!Number.isInteger(fault.skip) || fault.skip < 0)) {
		throw new Error('skip must be a whole number of at least 0');
	}
	if (fault.throttleBytesPerSecond !== undefined && !(fault.throttleBytesPerSecond >= 1024)) {
		throw new Error('throttleBytesPerSecond must be at least 1024');
	}
	if (fault.delayMs !== undefined && (fault.delayMs < 0 || fault.delayMs > 120_000)) {
		throw new Error('delayMs must be between 0 and 120000');
	}
	return fault;
}

export class FaultList {
	private faults: ActiveFault[] = [];

	add(specs: FaultSpec[]): void {
		for (const spec of specs) this.faults.push({ ...spec, remaining: spec.times ?? 1, hits: 0, skipped: 0 });
	}

	/** The first fault matching the request; it is consumed (once per call). */
	take(input: FaultMatchInput): FaultSpec | undefined {
		const fault = this.faults.find((candidate) => {
			if (candidate.remaining === 0 || !matches(candidate, input)) return false;
			if (candidate.skipped < (candidate.skip ?? 0)) {
				candidate.skipped++;
				return false;
			}
			return true;
		});
		if (!fault) return undefined;
		fault.hits++;
		if (fault.remaining > 0) fault.remaining--;
		return fault;
	}

	list(): Array<FaultSpec & { remaining: number; hits: number }> {
		return this.faults.map((fault) => ({ ...fault }));
	}

	clear(): void {
		this.faults = [];
	}
}

function matchesRoute(fault: FaultSpec, input: FaultMatchInput): boolean {
	if (fault.method && fault.method.toUpperCase() !== input.method) return false;
	if (fault.path) {
		if (fault.path.startsWith('^')) return new RegExp(fault.path).test(input.pathWithQuery);
		return input.pathname.startsWith(fault.path);
	}
	return true;
}

function matches(fault: FaultSpec, input: FaultMatchInput): boolean {
	if (!matchesRoute(fault, input)) return false;
	if (fault.chunkIndex !== undefined) return input.chunkIndex === fault.chunkIndex;
	return true;
}
