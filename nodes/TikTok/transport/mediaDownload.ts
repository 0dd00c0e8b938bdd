import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { InputError } from '../shared/inputError';
import { settle } from '../shared/settle';
import { networkReason } from './request';
import { cancelSignalOf, pause } from './waiting';

/**
 * Reads a video from a media server (any http(s) URL) for the "URL, Uploaded in Chunks" video source: the
 * bytes stream through to TikTok in chunks and are never stored in n8n. Requests go out without
 * any credential (the URL is the user's, not TikTok's), follow redirects, and a read that breaks
 * off is resumed with a Range request where the server supports it.
 */

/** What the media server says about the file before it is read. */
export interface RemoteMedia {
	url: string;
	size: number;
	contentType?: string;
	/** The server answers Range requests, so a broken read can resume where it stopped. */
	resumable: boolean;
}

const PROBE_TIMEOUT_MS = 30_000;
/** Idle time allowed while reading (a stalled server fails the read; resumable reads resume). */
const READ_TIMEOUT_MS = 60_000;
const RESUME_WAITS_MS = [1_000, 3_000, 6_000];

function header(headers: IDataObject | undefined, name: string): string | undefined {
	const value = headers?.[name] ?? headers?.[name.toLowerCase()];
	const first = Array.isArray(value) ? value[0] : value;
	return typeof first === 'string' ? first : typeof first === 'number' ? String(first) : undefined;
}

function wholeNumber(text: string | undefined): number | undefined {
	return text !== undefined && /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** `bytes 0-0/12345` → 12345; `bytes 100-199/*` → undefined. */
export function totalFromContentRange(value: string | undefined): number | undefined {
	const match = /^bytes\s+\d+-\d+\/(\d+)\s*$/i.exec(value ?? '');
	return match ? Number(match[1]) : undefined;
}

/** `bytes 1000-…/…` → 1000. */
export function startFromContentRange(value: string | undefined): number | undefined {
	const match = /^bytes\s+(\d+)-\d+\/(\d+|\*)\s*$/i.exec(value ?? '');
	return match ? Number(match[1]) : undefined;
}

async function send(
	ctx: IExecuteFunctions,
	options: IHttpRequestOptions,
): Promise<{ response?: IN8nHttpFullResponse; reason?: string }> {
	const signal = cancelSignalOf(ctx);
	const sent = await settle(
		async () =>
			(await ctx.helpers.httpRequest({
				...options,
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				json: false,
				...(signal ? { abortSignal: signal } : {}),
			})) as IN8nHttpFullResponse,
	);
	return sent.ok ? { response: sent.value } : { reason: networkReason(sent.error) };
}

/** Closes a streamed body nobody will read (a Range probe the server answered in full). */
function discard(body: unknown): void {
	const stream = body as { destroy?: () => void } | undefined;
	stream?.destroy?.();
}

function unreachable(url: string, what: string): InputError {
	return new InputError(
		`The video URL could not be read: ${what}`,
		`Check that n8n can download ${redactQuery(url)} (for example open it from the n8n server). The node sends no credential to it, so the URL itself must give access (a public or pre-signed link).`,
	);
}

function redactQuery(url: string): string {
	return url.replace(/\?.*$/, '?…');
}

/**
 * Asks for the file's size (needed before TikTok is asked to create the post): a HEAD, then, if
 * that gives no length, a GET of the first byte (its Content-Range carries the total).
 */
export async function probeMedia(ctx: IExecuteFunctions, url: string): Promise<RemoteMedia> {
	const head = await send(ctx, { method: 'HEAD', url, timeout: PROBE_TIMEOUT_MS });
	if (head.response && head.response.statusCode >= 400 && head.response.statusCode !== 405 && head.response.statusCode !== 501) {
		throw unreachable(url, `the server answered HTTP ${head.response.statusCode}`);
	}
	const headOk = head.response !== undefined && head.response.statusCode < 300;
	let size = headOk ? wholeNumber(header(head.response?.headers, 'content-length')) : undefined;
	let contentType = headOk ? header(head.response?.headers, 'content-type') : undefined;
	let resumable = headOk && /bytes/i.test(header(head.response?.headers, 'accept-ranges') ?? '');

	if (size === undefined || !resumable) {
		const ranged = await send(ctx, { method: 'GET', url, encoding: 'stream', headers: { Range: 'bytes=0-0' }, timeout: PROBE_TIMEOUT_MS });
		if (!ranged.response) throw unreachable(url, `no answer (${ranged.reason ?? head.reason ?? 'no answer'})`);
		const { statusCode, headers, body } = ranged.response;
		discard(body);
		if (statusCode >= 400) throw unreachable(url, `the server answered HTTP ${statusCode}`);
		contentType ??= header(headers, 'content-type');
		if (statusCode === 206) {
			resumable = true;
			size ??= totalFromContentRange(header(headers, 'content-range'));
		} else {
			resumable = false;
			size ??= wholeNumber(header(headers, 'content-length'));
		}
	}
	if (size === undefined) {
		throw new InputError(
			'The video URL\'s server does not say how large the file is (no Content-Length, no Range support)',
			'TikTok needs the size before the upload starts. Use a link to the file itself (most storage services send its size), or download it first (HTTP Request with the "File" response format) and post it as a binary file.',
		);
	}
	return { url, size, contentType, resumable };
}

/**
 * The file's bytes as they arrive. A read that breaks off is resumed from the last byte received
 * when the server supports Range requests (bounded tries); otherwise it fails, naming how far it got.
 */
export async function* downloadMedia(ctx: IExecuteFunctions, media: RemoteMedia): AsyncGenerator<Uint8Array> {
	const signal = cancelSignalOf(ctx);
	let offset = 0;
	for (let attempt = 0; ; attempt++) {
		const resuming = offset > 0;
		const opened = await send(ctx, {
			method: 'GET',
			url: media.url,
			encoding: 'stream',
			timeout: READ_TIMEOUT_MS,
			...(resuming ? { headers: { Range: `bytes=${offset}-` } } : {}),
		});
		let failure: string | undefined;
		if (!opened.response) failure = opened.reason ?? 'no answer';
		else if (opened.response.statusCode >= 400) failure = `HTTP ${opened.response.statusCode}`;
		else if (resuming && startFromContentRange(header(opened.response.headers, 'content-range')) !== offset) {
			discard(opened.response.body);
			failure = 'the server did not resume where the read stopped';
		}
		if (!failure && opened.response) {
			try {
				for await (const piece of opened.response.body as AsyncIterable<Uint8Array>) {
					offset += piece.length;
					yield piece;
				}
				return;
			} catch (error) {
				// The connection broke off mid-file: resume below where the server allows it.
				failure = networkReason(error);
			}
		}
		const wait = RESUME_WAITS_MS[attempt];
		if (signal?.aborted || !media.resumable || wait === undefined) {
			throw unreachable(media.url, `reading stopped after ${offset} of ${media.size} bytes (${failure})`);
		}
		await pause(wait, signal);
	}
}
