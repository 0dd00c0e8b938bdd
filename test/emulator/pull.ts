// PULL_FROM_URL: the emulator really downloads the media (reference §11), streaming and hashing it
// as it arrives, never holding a whole file. Only loopback hosts are contacted.
import { createHash } from 'crypto';
import http from 'http';
import type { Emulator } from './emulator';
import type { Post } from './posts';

const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost', '[::1]', '::1'];
const SOCKET_TIMEOUT_MS = 30_000;

export function startPull(
	emulator: Emulator,
	post: Post,
	urls: string[],
	failReason: 'video_pull_failed' | 'photo_pull_failed',
): void {
	const abort = new AbortController();
	post.pull = { bytes: 0, sha256: urls.map(() => null), abort, finished: false };
	void (async () => {
		for (let index = 0; index < urls.length; index++) {
			const digest = await download(urls[index], post, abort.signal);
			if (abort.signal.aborted) return;
			if (digest === null) {
				post.immediateFailure ??= failReason;
				post.pull!.finished = true;
				return;
			}
			post.pull!.sha256[index] = digest;
		}
		post.pull!.finished = true;
		post.mediaReadyAt = emulator.clock.now();
	})();
}

/** Resolves with the sha256 hex of the body, or null when the pull fails. */
function download(url: string, post: Post, signal: AbortSignal): Promise<string | null> {
	return new Promise((resolve) => {
		let parsed: URL;
		try {
			parsed = new URL(url);
		} catch {
			return resolve(null);
		}
		if (parsed.protocol !== 'http:' || !LOOPBACK_HOSTS.includes(parsed.hostname)) {
			return resolve(null);
		}
		const request = http.get(
			parsed,
			{ signal, timeout: SOCKET_TIMEOUT_MS, agent: false },
			(response) => {
				// TikTok follows no redirects and accepts only a plain 200 (§11).
				if (response.statusCode !== 200) {
					response.resume();
					return resolve(null);
				}
				const hash = createHash('sha256');
				response.on('data', (part: Buffer) => {
					hash.update(part);
					post.pull!.bytes += part.length;
				});
				response.on('end', () => resolve(response.complete ? hash.digest('hex') : null));
				response.on('error', () => resolve(null));
				response.on('aborted', () => resolve(null));
			},
		);
		request.on('timeout', () => request.destroy(new Error('timeout')));
		request.on('error', () => resolve(null));
	});
}
