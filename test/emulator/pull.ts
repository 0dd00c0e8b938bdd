// PULL_FROM_URL: the emulator really downloads the media (reference §11), streaming and hashing it
// as it arrives, never holding a whole file. TikTok pulls only https URLs on a domain name; the
// test world has no public DNS or TLS, so the pull-host map (setting `pullHosts`) stands in for
// both: https://<mapped name>/path is fetched as http://<loopback origin>/path. Nothing else is
// ever contacted.
import { createHash } from 'crypto';
import http from 'http';
import { isIP } from 'net';
import type { Emulator } from './emulator';
import type { Post } from './posts';

const SOCKET_TIMEOUT_MS = 30_000;

export function startPull(
	emulator: Emulator,
	post: Post,
	urls: string[],
	failReason: 'video_pull_failed' | 'photo_pull_failed',
): void {
	const abort = new AbortController();
	post.pull = { bytes: 0, sha256: urls.map(() => null), abort, finished: false };
	const hosts = emulator.pullHosts();
	void (async () => {
		for (let index = 0; index < urls.length; index++) {
			const digest = await download(urls[index], hosts, post, abort.signal);
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

/**
 * Where the emulator really connects for a public URL, or null when TikTok could not pull it:
 * not https, an IP address instead of a domain name (§11), or a name the test world's DNS lacks
 * (as an unresolvable host fails on TikTok).
 */
export function pullTarget(
	url: string,
	hosts: Record<string, string>,
): { target: URL; host: string } | null {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return null;
	}
	if (parsed.protocol !== 'https:') return null;
	if (isIP(parsed.hostname.replace(/^\[|\]$/g, ''))) return null;
	if (!Object.prototype.hasOwnProperty.call(hosts, parsed.hostname)) return null;
	// Same path and query on the mapped origin (set as parts: a path like "//elsewhere/x" must not
	// resolve to another host). A port in the https URL plays no part in the map.
	const target = new URL(hosts[parsed.hostname]);
	target.pathname = parsed.pathname;
	target.search = parsed.search;
	return { target, host: parsed.host };
}

/** Resolves with the sha256 hex of the body, or null when the pull fails. */
function download(
	url: string,
	hosts: Record<string, string>,
	post: Post,
	signal: AbortSignal,
): Promise<string | null> {
	return new Promise((resolve) => {
		const route = pullTarget(url, hosts);
		if (!route) return resolve(null);
		const request = http.get(
			route.target,
			{
				signal,
				timeout: SOCKET_TIMEOUT_MS,
				agent: false,
				// The public host name, as the https request would carry it.
				headers: { host: route.host },
			},
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
