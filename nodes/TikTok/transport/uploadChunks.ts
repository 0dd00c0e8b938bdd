import type { IExecuteFunctions, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { contentRange, type ChunkPlan, type PlannedChunk } from '../shared/chunkPlan';
import type { PlannedChunkBody } from '../shared/chunkStream';
import { describeUploadStatus } from '../shared/errorMap';
import { responseFromError, type RawResponse } from './response';
import { TikTokNodeError, type TikTokFailure } from './tiktokError';

/** TikTok says to resend a chunk after a 5xx; a dropped connection is treated the same way. */
export const PUT_RETRY_WAITS_MS = [1_000, 2_000, 4_000, 8_000];
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
 * credential is attached. Never re-initialises the post: failures report the publish_id.
 */
export async function uploadChunks(
	this: IExecuteFunctions,
	target: UploadTarget,
	chunks: AsyncIterable<PlannedChunkBody>,
): Promise<UploadResult> {
	const result: UploadResult = { bytesSent: 0, chunksSent: 0, retries: 0 };
	for await (const piece of chunks) {
		if (this.getExecutionCancelSignal()?.aborted) {
			throw new TikTokNodeError(this.getNode(), {
				code: 'upload_cancelled',
				message: 'The execution was cancelled during the upload',
				hint: 'Nothing was published. Run the item again to start a new post.',
				publishId: target.publishId,
			});
		}
		const sent = await putChunk(this, target, piece);
		result.retries += sent.retries;
		// Free the chunk now rather than at the next garbage collection (see releaseMemory); never
		// after an error or a 416, where TikTok may have answered before reading the body.
		if (sent.acknowledged) piece.release?.();
		result.bytesSent += piece.chunk.length;
		result.chunksSent++;
	}
	return result;
}

/**
 * Sends one chunk, retrying within bounds; returns how many retries it took and whether TikTok
 * acknowledged this very PUT with 2xx (it then read the whole body, so no socket write still needs it).
 */
async function putChunk(
	ctx: IExecuteFunctions,
	target: UploadTarget,
	piece: PlannedChunkBody,
): Promise<{ retries: number; acknowledged: boolean }> {
	const { chunk, body } = piece;
	for (let attempt = 0; ; attempt++) {
		const canRetry = attempt < PUT_RETRY_WAITS_MS.length;
		const outcome = await sendPut(ctx, target, chunk, body);
		if (outcome.response) {
			const { statusCode, headers } = outcome.response;
			if (statusCode === 200 || statusCode === 201 || statusCode === 206) return { retries: attempt, acknowledged: true };
			if (statusCode === 416) {
				// TikTok reports what it already holds; a lost 206 means this chunk is already there.
				const received = bytesReceived(headers['content-range']);
				if (received === chunk.end + 1) return { retries: attempt, acknowledged: false };
				if (received === chunk.start && canRetry) {
					await sleep(PUT_RETRY_WAITS_MS[attempt]);
					continue;
				}
				throw uploadError(ctx, target, chunk, statusCode, received);
			}
			if (statusCode >= 500 && canRetry) {
				await sleep(PUT_RETRY_WAITS_MS[attempt]);
				continue;
			}
			throw uploadError(ctx, target, chunk, statusCode);
		}
		if (canRetry) {
			await sleep(PUT_RETRY_WAITS_MS[attempt]);
			continue;
		}
		const failure = describeUploadStatus(0);
		throw new TikTokNodeError(ctx.getNode(), {
			code: 'upload_failed',
			message: `Chunk ${chunk.index + 1} of ${target.plan.totalChunkCount} could not be sent: ${scrub(outcome.reason, target.uploadUrl)}`,
			hint: failure.hint,
			publishId: target.publishId,
		});
	}
}

async function sendPut(
	ctx: IExecuteFunctions,
	target: UploadTarget,
	chunk: PlannedChunk,
	body: Buffer,
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
	};
	return new TikTokNodeError(ctx.getNode(), failure);
}

/** Upload URLs carry a token: never let one reach a message. */
function scrub(text: string, uploadUrl: string): string {
	return text.split(uploadUrl).join('<upload URL>');
}
