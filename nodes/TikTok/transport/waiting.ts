import { sleep } from 'n8n-workflow';

/** Thrown when the execution was stopped while the node waited or sent. */
export class ExecutionStoppedError extends Error {
	constructor() {
		super('The execution was stopped');
		this.name = 'ExecutionStoppedError';
	}
}

/**
 * Waits `ms`, or less when the execution is stopped (then throws ExecutionStoppedError at once).
 * Built on n8n-workflow's `sleep`, which every supported n8n has; `sleepWithAbort` is not
 * exported by all of them.
 */
export async function pause(ms: number, signal?: AbortSignal): Promise<void> {
	if (!signal) return await sleep(ms);
	if (signal.aborted) throw new ExecutionStoppedError();
	let onAbort: () => void = () => undefined;
	const stopped = new Promise<never>((_resolve, reject) => {
		onAbort = () => reject(new ExecutionStoppedError());
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		await Promise.race([sleep(ms), stopped]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}

/** The execution's cancel signal where the context offers one (load-options contexts do not). */
export function cancelSignalOf(ctx: object): AbortSignal | undefined {
	const candidate = ctx as { getExecutionCancelSignal?: () => AbortSignal | undefined };
	return typeof candidate.getExecutionCancelSignal === 'function' ? candidate.getExecutionCancelSignal() : undefined;
}
