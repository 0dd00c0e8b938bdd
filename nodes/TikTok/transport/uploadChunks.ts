import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { contentRange, type ChunkPlan, type PlannedChunk } from '../shared/chunkPlan';
import type { PlannedChunkBody } from '../shared/chunkStream';
import { describeUploadStatus } from '../shared/errorMap';
import { responseFromError, type RawResponse } from './response';
import { PUT_RETRY_WAITS_MS, putRetryDelay } from './retryPolicy';
import { TikTokNodeError, type TikTokFailure } from './tiktokError';
import { settle } from '../shared/settle';
import { cancelSignalOf, ExecutionStoppedError, pause } from './waiting';

const PUT_TIMEOUT_MS = 10 * 60_000;

export interface UploadTarget {
	uploadUrl: string;
	publishId: string;
	contentType: string;
	plan: ChunkPlan;
}

export interface UploadResult {
	bytesSent: number;
	chunksSent: number;
	retries: number;
}

/**
 * Sends the planned chunks in order to TikTok's upload URL. The source reads the next chunk while
 * the current one is on the wire (see BinaryVideo.chunks). The URL carries its own token, so no
 * credential is attached. Never re-initialises the post: failures report the publish_id and
 * whether TikTok can still publish it (only once it holds every byte). Stopping the execution
 * aborts the PUT in flight.
 */
export async function uploadChunks(
	this: IExecuteFunctions,
	target: UploadTarget,
	chunks: AsyncIterable<PlannedChunkBody>,
): Promise<UploadResult> {
	const signal = cancelSignalOf(this);
	const result: UploadResult = { bytesSent: 0, chunksSent: 0, retries: 0 };
	const iterator = chunks[Symbol.asyncIterator]();
	let finished = false;
	try {
		for (;;) {
			const next = await settle(async () => await iterator.next());
			if (!next.ok) {
				const pending = target.plan.chunks[Math.min(result.chunksSent, target.plan.chunks.length - 1)];
				throw signal?.aborted ? stoppedDuringUpload(this, target, pending, false) : sourceFailed(this, target, result, next.error);
			}
			if (next.value.done) break;
			const piece = next.value.value;
			if (signal?.aborted) throw stoppedDuringUpload(this, target, piece.chunk, false);
			const sent = await putChunk(this, target, piece, signal);
			result.retries += sent.retries;
			// Free the chunk now rather than at the next garbage collection (see releaseMemory); never
			// after an error or a 416, where TikTok may have answered before reading the body.
			if (sent.acknowledged) piece.release?.();
			result.bytesSent += piece.chunk.length;
			result.chunksSent++;
		}
		finished = true;
		return result;
	} finally {
		// Stops reading the source (n8n's file stream, a download) when the upload ends early.
		if (!finished) await settle(async () => await iterator.return?.());
	}
}

/**
 * The video could not be read to the end (a download broke off, a file changed size). A chunk is
 * only sent once read whole, so the last one never went out: TikTok will not publish this post.
 */
function sourceFailed(ctx: IExecuteFunctions, target: UploadTarget, sent: UploadResult, error: unknown): TikTokNodeError {
	const cause = error as { message?: unknown; hint?: unknown };
	const message = typeof cause?.message === 'string' ? cause.message : String(error);
	return new TikTokNodeError(ctx.getNode(), {
		code: 'video_read_failed',
		message: `The video could not be read to the end after ${sent.chunksSent} of ${target.plan.totalChunkCount} chunks were sent: ${message}`,
		hint: `${typeof cause?.hint === 'string' ? `${cause.hint} ` : ''}TikTok did not receive the whole video, so it will not publish this post; running the item again posts it once.`,
		publishId: target.publishId,
		postMayExist: false,
	});
}

function isLast(target: UploadTarget, chunk: PlannedChunk): boolean {
	return chunk.index === target.plan.totalChunkCount - 1;
}

/**
 * Sends one chunk, retrying within bounds; returns how many retries it took and whether TikTok
 * acknowledged this very PUT with 2xx (it then read the whole body, so no socket write still needs it).
 */
async function putChunk(
	ctx: IExecuteFunctions,
	target: UploadTarget,
	piece: PlannedChunkBody,
	signal: AbortSignal | undefined,
): Promise<{ retries: number; acknowledged: boolean }> {
	const { chunk, body } = piece;
	for (let attempt = 0; ; attempt++) {
		const outcome = await sendPut(ctx, target, chunk, body, signal);
		if (signal?.aborted) throw stoppedDuringUpload(ctx, target, chunk, true);
		let delay: number | undefined;
		if (outcome.response) {
			const { statusCode, headers } = outcome.response;
			if (statusCode === 200 || statusCode === 201 || statusCode === 206) return { retries: attempt, acknowledged: true };
			if (statusCode === 416) {
				// TikTok reports what it already holds; a lost 206 means this chunk is already there.
				const received = bytesReceived(headers['content-range']);
				if (received === chunk.end + 1) return { retries: attempt, acknowledged: false };
				delay = received === chunk.start ? putRetryDelay(undefined, attempt) : undefined;
				if (delay === undefined) throw uploadError(ctx, target, chunk, statusCode, received);
			} else {
				delay = putRetryDelay(statusCode, attempt);
				if (delay === undefined) throw uploadError(ctx, target, chunk, statusCode);
			}
		} else {
			delay = putRetryDelay(undefined, attempt);
			if (delay === undefined) {
				throw new TikTokNodeError(ctx.getNode(), {
					code: 'upload_failed',
					message: `Chunk ${chunk.index + 1} of ${target.plan.totalChunkCount} could not be sent: ${scrub(outcome.reason, target.uploadUrl)}`,
					hint: isLast(target, chunk)
						? 'The last chunk may have arrived although its answer did not, so TikTok may publish the post.'
						: `The connection to TikTok's upload server failed ${PUT_RETRY_WAITS_MS.length + 1} times. TikTok did not receive the whole video and will not publish this post, so running the item again posts it once.`,
					publishId: target.publishId,
					// The last chunk may have arrived although its answer did not.
					postMayExist: isLast(target, chunk),
				});
			}
		}
		const paused = await settle(async () => await pause(delay as number, signal));
		if (!paused.ok) {
			throw paused.error instanceof ExecutionStoppedError ? stoppedDuringUpload(ctx, target, chunk, false) : paused.error;
		}
	}
}

/**
 * The execution was stopped during the upload. TikTok publishes only once it holds every byte,
 * so the verdict depends on whether the last chunk was on its way.
 */
function stoppedDuringUpload(
	ctx: IExecuteFunctions,
	target: UploadTarget,
	chunk: PlannedChunk,
	inFlight: boolean,
): TikTokNodeError {
	const mayPublish = inFlight && isLast(target, chunk);
	const failure: TikTokFailure = {
		code: 'execution_stopped',
		message: `The execution was stopped during the upload (chunk ${chunk.index + 1} of ${target.plan.totalChunkCount})`,
		hint: mayPublish
			? 'The last chunk was being sent when the upload was aborted, so TikTok may still publish the post: check it with Get Status and this publish_id before posting the item again.'
			: 'TikTok did not receive the whole video, so it will not publish this post. Posting the item again is safe.',
		publishId: target.publishId,
		postMayExist: mayPublish,
	};
	ctx.logger.warn(`TikTok upload stopped: ${failure.message}. ${failure.hint} (publish_id ${target.publishId})`);
	return new TikTokNodeError(ctx.getNode(), failure);
}

async function sendPut(
	ctx: IExecuteFunctions,
	target: UploadTarget,
	chunk: PlannedChunk,
	body: Buffer,
	signal: AbortSignal | undefined,
): Promise<{ response?: RawResponse; reason: string }> {
	const options: IHttpRequestOptions = {
		method: 'PUT',
		url: target.uploadUrl,
		body,
		headers: {
			'Content-Type': target.contentType,
			'Content-Length': String(chunk.length),
			'Content-Range': contentRange(chunk, target.plan.videoSize),
		},
		returnFullResponse: true,
		ignoreHttpStatusErrors: true,
		encoding: 'text',
		json: false,
		timeout: PUT_TIMEOUT_MS,
		// n8n's plain httpRequest attaches no cancel signal of its own.
		...(signal ? { abortSignal: signal } : {}),
	};
	try {
		const response = (await ctx.helpers.httpRequest(options)) as IN8nHttpFullResponse;
		return { response: { statusCode: response.statusCode, body: response.body, headers: response.headers }, reason: '' };
	} catch (error) {
		const response = responseFromError(error);
		const reason = error instanceof Error && error.message ? error.message : 'no response';
		return { response, reason };
	}
}

/** `Content-Range: bytes 0-{last}/{total}` → bytes TikTok holds; undefined when absent. */
export function bytesReceived(header: unknown): number | undefined {
	const value = Array.isArray(header) ? header[0] : header;
	if (typeof value !== 'string') return undefined;
	const match = /bytes\s+(\d+)-(\d+)\/(\d+|\*)/i.exec(value);
	if (!match) return /bytes\s+\*\/\d+/i.test(value) ? 0 : undefined;
	return Number(match[2]) + 1;
}

function uploadError(
	ctx: IExecuteFunctions,
	target: UploadTarget,
	chunk: PlannedChunk,
	statusCode: number,
	received?: number,
): TikTokNodeError {
	const description = describeUploadStatus(statusCode);
	const progress = received === undefined ? '' : ` TikTok reports ${received} bytes received.`;
	const failure: TikTokFailure = {
		code: `upload_http_${statusCode}`,
		message: `TikTok rejected chunk ${chunk.index + 1} of ${target.plan.totalChunkCount} (HTTP ${statusCode}): ${description.message}`,
		hint: `${description.hint}${progress}`,
		httpStatus: statusCode,
		publishId: target.publishId,
		// TikTok refused the bytes: it does not hold the whole video and will not publish it.
		postMayExist: false,
	};
	return new TikTokNodeError(ctx.getNode(), failure);
}

/** Upload URLs carry a token: never let one reach a message. */
function scrub(text: string, uploadUrl: string): string {
	return text.split(uploadUrl).join('<upload URL>');
}
