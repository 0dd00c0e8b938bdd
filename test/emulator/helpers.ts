/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Shared helpers of the emulator's own test suite: start/reset the emulator, call it, and send
// raw HTTP requests (PUTs need exact control over Content-Length and friends).
import http from 'http';
import { MEDIA_PREFIX } from './config';
import { startEmulator, type ConfigPatch } from './index';

export interface EmulatorRef {
	url: string;
}

/** Starts one emulator for the file (port 0) and resets it before each test. */
export function useEmulator(config?: ConfigPatch): EmulatorRef {
	const ref: EmulatorRef = { url: '' };
	let close: (() => Promise<void>) | undefined;
	beforeAll(async () => {
		const running = await startEmulator({ port: 0, config });
		ref.url = running.url;
		close = running.close;
	});
	afterAll(async () => {
		await close?.();
	});
	beforeEach(async () => {
		await control(ref, 'reset');
	});
	return ref;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export async function control(
	ref: EmulatorRef,
	path: string,
	body?: unknown,
	method = 'POST',
): Promise<Json> {
	const response = await fetch(`${ref.url}/__emulator/${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = await response.json();
	if (response.status !== 200)
		throw new Error(`control ${path}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

export const configure = (ref: EmulatorRef, patch: ConfigPatch) => control(ref, 'config', patch);
export const state = (ref: EmulatorRef, since = 0) =>
	control(ref, `state?since=${since}`, undefined, 'GET');
export const advanceClock = (ref: EmulatorRef, seconds: number) =>
	control(ref, 'clock', { advanceSeconds: seconds });

export async function issueToken(
	ref: EmulatorRef,
	scopes?: string[],
	expiresIn?: number,
): Promise<string> {
	const pair = await control(ref, 'tokens', { scopes, expiresIn });
	return pair.access_token as string;
}

export interface ApiResponse {
	status: number;
	headers: Headers;
	text: string;
	body: Json;
}

export async function api(
	ref: EmulatorRef,
	path: string,
	options: { token?: string; body?: unknown; method?: string } = {},
): Promise<ApiResponse> {
	const headers: Record<string, string> = { 'content-type': 'application/json; charset=UTF-8' };
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	const response = await fetch(`${ref.url}${path}`, {
		method: options.method ?? 'POST',
		headers,
		body: options.body === undefined ? undefined : JSON.stringify(options.body),
	});
	const text = await response.text();
	let body: Json = undefined;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	return { status: response.status, headers: response.headers, text, body };
}

export async function form(
	ref: EmulatorRef,
	path: string,
	params: Record<string, string>,
	query: Record<string, string> = {},
): Promise<ApiResponse> {
	const search = new URLSearchParams(query).toString();
	const response = await fetch(`${ref.url}${path}${search ? `?${search}` : ''}`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(params).toString(),
	});
	const text = await response.text();
	let body: Json = undefined;
	try {
		body = JSON.parse(text);
	} catch {
		body = undefined;
	}
	return { status: response.status, headers: response.headers, text, body };
}

export interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	text: string;
}

/**
 * A raw HTTP request. `body` is a Buffer, or a writer that streams the body (it must respect
 * backpressure). Rejects if the server drops the connection.
 */
export function rawRequest(
	url: string,
	options: {
		method: string;
		headers?: Record<string, string | number>;
		body?: Buffer | ((request: http.ClientRequest) => Promise<void>);
	},
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const request = http.request(
			url,
			{ method: options.method, headers: options.headers, agent: false },
			(response) => {
				const parts: Buffer[] = [];
				response.on('data', (part: Buffer) => parts.push(part));
				response.on('end', () =>
					resolve({
						status: response.statusCode ?? 0,
						headers: response.headers,
						text: Buffer.concat(parts).toString(),
					}),
				);
				response.on('error', reject);
			},
		);
		request.on('error', reject);
		const body = options.body;
		if (typeof body === 'function') {
			body(request).then(() => request.end(), reject);
		} else {
			request.end(body);
		}
	});
}

/** Writes `length` bytes made by `fill` in blocks, awaiting drain: the test never holds a file. */
export function streamBytes(
	length: number,
	fill: (block: Buffer, offset: number) => void,
	blockSize = 1024 * 1024,
) {
	return async (request: http.ClientRequest): Promise<void> => {
		const block = Buffer.alloc(blockSize);
		for (let offset = 0; offset < length; offset += blockSize) {
			const size = Math.min(blockSize, length - offset);
			fill(block, offset);
			const part = size === blockSize ? block : block.subarray(0, size);
			if (!request.write(Buffer.from(part)))
				await new Promise((resolve) => request.once('drain', resolve));
		}
	};
}

export function putChunk(
	uploadUrl: string,
	chunk: Buffer,
	range: { first: number; total: number },
	headers: Record<string, string | number> = {},
): Promise<RawResponse> {
	return rawRequest(uploadUrl, {
		method: 'PUT',
		headers: {
			'content-type': 'video/mp4',
			'content-length': chunk.length,
			'content-range': `bytes ${range.first}-${range.first + chunk.length - 1}/${range.total}`,
			...headers,
		},
		body: chunk,
	});
}

export const MiB = 1024 * 1024;

export function directVideoBody(
	postInfo: Record<string, unknown> = {},
	sourceInfo: Record<string, unknown> = {},
) {
	return {
		post_info: {
			privacy_level: 'SELF_ONLY',
			brand_content_toggle: false,
			title: 'hello #emulator',
			...postInfo,
		},
		source_info: {
			source: 'FILE_UPLOAD',
			video_size: 1000,
			chunk_size: 1000,
			total_chunk_count: 1,
			...sourceInfo,
		},
	};
}

/**
 * The public https URL of the emulator's generated media, as clients hand it to TikTok (verified
 * by default; the emulator pulls it from its own port). Same as RunningEmulator.mediaUrl.
 */
export function mediaUrl(name: string): string {
	return `${MEDIA_PREFIX}${name}`;
}

export function photoBody(
	overrides: Record<string, unknown> = {},
	postInfo: Record<string, unknown> = {},
) {
	return {
		media_type: 'PHOTO',
		post_mode: 'DIRECT_POST',
		post_info: {
			title: 'photos',
			description: 'a #photo post',
			privacy_level: 'SELF_ONLY',
			brand_content_toggle: false,
			brand_organic_toggle: false,
			...postInfo,
		},
		source_info: {
			source: 'PULL_FROM_URL',
			photo_images: [mediaUrl('photo-1.jpg'), mediaUrl('photo-2.jpg')],
			photo_cover_index: 0,
		},
		...overrides,
	};
}

/** Polls `check` every 50 ms for at most `timeoutMs` (bounded loop). */
export async function waitFor<T>(
	check: () => Promise<T | undefined>,
	timeoutMs = 10_000,
): Promise<T> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await check();
		if (value !== undefined) return value;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error('waitFor: timed out');
}

export async function waitForPost(
	ref: EmulatorRef,
	publishId: string,
	predicate: (post: Json) => boolean,
): Promise<Json> {
	return waitFor(async () => {
		const post = (await state(ref)).posts.find((p: Json) => p.publish_id === publishId);
		return post && predicate(post) ? post : undefined;
	});
}
