/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
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
	const checks = failReason === 'photo_pull_failed' ? PHOTO_CHECKS : undefined;
	void (async () => {
		for (let index = 0; index < urls.length; index++) {
			const outcome = await download(urls[index], hosts, post, abort.signal, checks);
			if (abort.signal.aborted) return;
			if (typeof outcome !== 'string') {
				post.immediateFailure ??= outcome?.failReason ?? failReason;
				post.pull!.finished = true;
				return;
			}
			post.pull!.sha256[index] = outcome;
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

/**
 * What TikTok checks of a photo it pulled (reference §10): JPEG or WebP (by the answer's type and
 * the file's first bytes), at most 20 MB.
 */
interface ContentChecks {
	types: string[];
	maxBytes: number;
	looksRight(head: Buffer): boolean;
}

const PHOTO_CHECKS: ContentChecks = {
	types: ['image/jpeg', 'image/webp'],
	maxBytes: 20_000_000,
	looksRight: (head) =>
		(head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) ||
		(head.subarray(0, 4).toString('latin1') === 'RIFF' && head.subarray(8, 12).toString('latin1') === 'WEBP'),
};

/**
 * Resolves with the sha256 hex of the body; null when the pull fails (the post's own fail
 * reason), or the fail reason TikTok's checks give the content.
 */
function download(
	url: string,
	hosts: Record<string, string>,
	post: Post,
	signal: AbortSignal,
	checks?: ContentChecks,
): Promise<string | null | { failReason: string }> {
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
				const type = String(response.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
				if (checks && !checks.types.includes(type)) {
					response.resume();
					return resolve({ failReason: 'file_format_check_failed' });
				}
				const hash = createHash('sha256');
				let received = 0;
				let head: Buffer | undefined;
				response.on('data', (part: Buffer) => {
					head ??= part;
					received += part.length;
					hash.update(part);
					post.pull!.bytes += part.length;
					if (checks && received > checks.maxBytes) {
						response.destroy();
						resolve({ failReason: 'picture_size_check_failed' });
					}
				});
				response.on('end', () => {
					if (!response.complete) return resolve(null);
					if (checks && !(head && checks.looksRight(head))) return resolve({ failReason: 'file_format_check_failed' });
					resolve(hash.digest('hex'));
				});
				response.on('error', () => resolve(null));
				response.on('aborted', () => resolve(null));
			},
		);
		request.on('timeout', () => request.destroy(new Error('timeout')));
		request.on('error', () => resolve(null));
	});
}
