/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
// PUT {upload_url}: chunked FILE_UPLOAD (reference §7.1, §7.4, §7.5). Bytes are counted and hashed
// as they stream in and then dropped, so uploads of any size cost no memory.
import { SAMPLED_PREFIX, updateSampled } from './digest';
import { expectedChunkLength } from './chunk-rules';
import { respond, type RequestContext } from './http';
import { stringifyJson } from './json';
import type { Post, UploadSession } from './posts';

const VIDEO_CONTENT_TYPES = ['video/mp4', 'video/quicktime', 'video/webm'];

export interface ContentRange {
	first: number;
	last: number;
	total: number;
}

export function parseContentRange(header: string | undefined): ContentRange | null {
	const match = /^bytes (\d+)-(\d+)\/(\d+)$/.exec((header ?? '').trim());
	if (!match) return null;
	const [first, last, total] = match.slice(1).map(Number);
	if (last < first || last >= total) return null;
	return { first, last, total };
}

/** The upload session an upload URL points at, if its token is right. */
export function findUpload(ctx: RequestContext): Post | undefined {
	const id = ctx.url.searchParams.get('upload_id') ?? '';
	const post = ctx.emulator.posts.byUploadId(id);
	if (!post?.upload || post.upload.token !== ctx.url.searchParams.get('upload_token'))
		return undefined;
	return post;
}

/** The chunk a PUT carries by its Content-Range (for fault matching), if it can tell. */
export function chunkIndexOf(ctx: RequestContext): number | undefined {
	const upload = findUpload(ctx)?.upload;
	const range = parseContentRange(ctx.req.headers['content-range']);
	if (!upload || !range) return undefined;
	return Math.floor(range.first / upload.chunkSize);
}

// "bytes 0-<last received>/<total>"; before any byte arrived, "bytes */<total>" (RFC 7233).
function progressHeader(upload: UploadSession): string {
	return upload.received > 0
		? `bytes 0-${upload.received - 1}/${upload.videoSize}`
		: `bytes */${upload.videoSize}`;
}

function answer(
	ctx: RequestContext,
	upload: UploadSession | undefined,
	status: number,
	code: string,
	message: string,
): void {
	const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
	if (upload) headers['content-range'] = progressHeader(upload);
	const body = code === 'ok' ? '' : stringifyJson({ error: { code, message, log_id: ctx.logId } });
	respond(ctx, status, headers, body);
}

function logChunk(
	ctx: RequestContext,
	upload: UploadSession,
	range: ContentRange | null,
	bytes: number,
	status: number | string,
	startedAt?: number,
) {
	upload.chunks.push({
		index: range ? Math.floor(range.first / upload.chunkSize) : null,
		range: ctx.req.headers['content-range'] ?? null,
		bytes,
		status,
		at: new Date(ctx.emulator.clock.now()).toISOString(),
		// When the request's headers arrived: the gap from the previous chunk's answer to this is the client's turnaround.
		...(startedAt === undefined ? {} : { startedAt: new Date(startedAt).toISOString() }),
	});
}

export function uploadChunk(ctx: RequestContext): void {
	const post = findUpload(ctx);
	const upload = post?.upload;
	if (!post || !upload) {
		return answer(
			ctx,
			undefined,
			404,
			'upload_not_found',
			'No valid upload task for this upload URL',
		);
	}
	if (ctx.req.method !== 'PUT') return answer(ctx, upload, 405, 'method_not_allowed', 'Use PUT');
	const range = parseContentRange(ctx.req.headers['content-range']);
	const refuse = (status: number, code: string, message: string) => {
		logChunk(ctx, upload, range, 0, status);
		answer(ctx, upload, status, code, message);
	};
	if (ctx.emulator.clock.now() >= upload.expiresAt) {
		return refuse(403, 'upload_url_expired', 'The upload URL has expired');
	}
	const contentType = (ctx.req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
	if (!VIDEO_CONTENT_TYPES.includes(contentType)) {
		return refuse(
			400,
			'invalid_content_type',
			'Content-Type must be video/mp4, video/quicktime or video/webm',
		);
	}
	if (!range || range.total !== upload.videoSize) {
		return refuse(
			400,
			'invalid_content_range',
			'Content-Range is missing, malformed or has the wrong total',
		);
	}
	if (upload.inFlight || upload.received === upload.videoSize || range.first !== upload.received) {
		return refuse(416, 'range_not_satisfiable', 'Content-Range does not match the upload progress');
	}
	const plan = {
		videoSize: upload.videoSize,
		chunkSize: upload.chunkSize,
		totalChunkCount: upload.totalChunkCount,
	};
	const index = range.first / upload.chunkSize;
	const length = range.last - range.first + 1;
	if (!Number.isInteger(index) || length !== expectedChunkLength(plan, index)) {
		return refuse(
			400,
			'invalid_chunk',
			'The chunk does not follow the chunk_size declared at init',
		);
	}
	const declaredLength = Number(ctx.req.headers['content-length']);
	if (ctx.req.headers['content-length'] === undefined || declaredLength !== length) {
		return refuse(
			400,
			'invalid_content_length',
			'Content-Length is missing or does not match Content-Range',
		);
	}
	receiveChunk(ctx, post, upload, range, length);
}

function receiveChunk(
	ctx: RequestContext,
	post: Post,
	upload: UploadSession,
	range: ContentRange,
	length: number,
): void {
	upload.inFlight = true;
	const startedAt = ctx.emulator.clock.now();
	const pending = upload.hash.copy();
	let received = 0;
	let finished = false;
	const sampled = ctx.emulator.config.uploadDigest === 'sampled';
	ctx.req.on('data', (part: Buffer) => {
		if (sampled) updateSampled(pending, part, range.first + received);
		else pending.update(part);
		received += part.length;
		const rate = ctx.throttleBytesPerSecond;
		if (rate) {
			// A slow uplink: take the next piece only when this one would have arrived.
			ctx.req.pause();
			setTimeout(() => ctx.req.resume(), Math.ceil((part.length / rate) * 1000)).unref();
		}
	});
	ctx.req.on('end', () => {
		finished = true;
		upload.inFlight = false;
		if (received !== length) {
			logChunk(ctx, upload, range, received, 400);
			return answer(
				ctx,
				upload,
				400,
				'invalid_content_length',
				'The body length does not match Content-Length',
			);
		}
		upload.hash = pending;
		upload.received += received;
		const complete = upload.received === upload.videoSize;
		if (complete) {
			upload.sha256 = `${sampled ? SAMPLED_PREFIX : ''}${upload.hash.copy().digest('hex')}`;
			post.mediaReadyAt = ctx.emulator.clock.now();
		}
		logChunk(ctx, upload, range, received, complete ? 201 : 206, startedAt);
		answer(ctx, upload, complete ? 201 : 206, 'ok', '');
	});
	ctx.req.on('close', () => {
		if (finished) return;
		upload.inFlight = false;
		logChunk(ctx, upload, range, received, 'aborted');
	});
}
