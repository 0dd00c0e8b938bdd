import { InputError } from './inputError';

// TikTok never says whether its "MB" is 10^6 or 2^20 bytes, so every limit below is the
// stricter of the two readings: the plan is then valid whichever way TikTok counts.
export const MIN_CHUNK_BYTES = 5 * 1024 * 1024;
export const MAX_CHUNK_BYTES = 64 * 1000 * 1000;
export const MAX_FINAL_CHUNK_BYTES = 128 * 1000 * 1000;
/** Files up to this size go as one chunk with chunk_size == video_size. */
export const MAX_SINGLE_UPLOAD_BYTES = 64 * 1000 * 1000;
export const MAX_CHUNK_COUNT = 1000;
/** TikTok's documented 4 GB ceiling, read as binary (4 GiB). */
export const MAX_VIDEO_BYTES = 4 * 1024 * 1024 * 1024;
export const DEFAULT_CHUNK_BYTES = 10 * 1024 * 1024;

export interface PlannedChunk {
	index: number;
	start: number;
	/** Inclusive, as in Content-Range. */
	end: number;
	length: number;
}

export interface ChunkPlan {
	videoSize: number;
	/** The value sent as source_info.chunk_size. */
	chunkSize: number;
	/** The value sent as source_info.total_chunk_count. */
	totalChunkCount: number;
	chunks: PlannedChunk[];
}

/** 1234567 → "1,234,567" (no Intl: the result must not depend on the server's locale). */
export function groupDigits(value: number): string {
	return String(Math.trunc(value)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

export function formatBytes(bytes: number): string {
	const grouped = groupDigits(bytes);
	if (bytes < 1024 * 1024) return `${grouped} bytes`;
	if (bytes < 1024 * 1024 * 1024) return `${grouped} bytes (${(bytes / 1024 / 1024).toFixed(1)} MiB)`;
	return `${grouped} bytes (${(bytes / 1024 / 1024 / 1024).toFixed(2)} GiB)`;
}

/** Throws unless the size is a whole, non-zero number of bytes within TikTok's 4 GB limit. */
export function assertVideoSize(videoSize: number): void {
	if (!Number.isSafeInteger(videoSize) || videoSize < 0) {
		throw new InputError(
			`The video size must be a whole number of bytes, got ${String(videoSize)}`,
			'Check that the binary property holds a complete video file with a known size.',
		);
	}
	if (videoSize === 0) {
		throw new InputError(
			'The video file is empty (0 bytes)',
			'Check that the previous node produced the video and that the right binary property is selected.',
		);
	}
	if (videoSize > MAX_VIDEO_BYTES) {
		throw new InputError(
			`The video is ${formatBytes(videoSize)}, more than TikTok's 4 GB limit (${formatBytes(MAX_VIDEO_BYTES)})`,
			'Compress or shorten the video (for example with a lower bitrate) so it is under 4 GB.',
		);
	}
}

function assertPreferredChunkSize(preferredChunkSize: number): void {
	if (
		!Number.isSafeInteger(preferredChunkSize) ||
		preferredChunkSize < MIN_CHUNK_BYTES ||
		preferredChunkSize > MAX_CHUNK_BYTES
	) {
		throw new InputError(
			`The chunk size ${String(preferredChunkSize)} is outside TikTok's allowed range of ${groupDigits(MIN_CHUNK_BYTES)} to ${groupDigits(MAX_CHUNK_BYTES)} bytes`,
			`Set the chunk size to a whole number of bytes between ${groupDigits(MIN_CHUNK_BYTES)} (5 MiB) and ${groupDigits(MAX_CHUNK_BYTES)} (64 MB), or leave it at the default of ${groupDigits(DEFAULT_CHUNK_BYTES)} (10 MiB).`,
		);
	}
}

/** Chunk size actually used for a file bigger than MAX_SINGLE_UPLOAD_BYTES. */
function chooseMultiChunkSize(videoSize: number, preferredChunkSize: number): number {
	let chunkSize = preferredChunkSize;
	// At most 1000 chunks: floor(size / chunk) <= 1000 holds once chunk >= ceil(size / 1000).
	// (Unreachable with today's limits: 4 GiB / 5 MiB is 819 chunks; kept in case they change.)
	chunkSize = Math.max(chunkSize, Math.ceil(videoSize / MAX_CHUNK_COUNT));
	// A file over the single-upload limit must be split, so floor(size / chunk) must be >= 2:
	// a count of 1 would require chunk_size == video_size, which is then over the 64 MB cap.
	chunkSize = Math.min(chunkSize, Math.floor(videoSize / 2));
	return chunkSize;
}

/**
 * Splits a video into TikTok's FILE_UPLOAD chunks: total_chunk_count = floor(size / chunk_size),
 * the remainder merged into the final chunk (which therefore stays under 2 × chunk_size ≤ 128 MB).
 */
export function planChunks(videoSize: number, preferredChunkSize = DEFAULT_CHUNK_BYTES): ChunkPlan {
	assertVideoSize(videoSize);
	assertPreferredChunkSize(preferredChunkSize);

	const chunkSize =
		videoSize <= MAX_SINGLE_UPLOAD_BYTES ? videoSize : chooseMultiChunkSize(videoSize, preferredChunkSize);
	return buildFloorPlan(videoSize, chunkSize);
}

/**
 * TikTok's floor rule for a given chunk size, with no policy applied: floor(size / chunk)
 * chunks, the last one absorbing the remainder. planChunks() picks a chunk size that keeps
 * this within TikTok's limits; tests use it directly for small synthetic plans.
 */
export function buildFloorPlan(videoSize: number, chunkSize: number): ChunkPlan {
	if (!Number.isSafeInteger(videoSize) || !Number.isSafeInteger(chunkSize) || chunkSize <= 0 || chunkSize > videoSize) {
		throw new RangeError(`Cannot plan ${videoSize} bytes in chunks of ${chunkSize}`);
	}
	const totalChunkCount = Math.floor(videoSize / chunkSize);
	const chunks: PlannedChunk[] = [];
	for (let index = 0; index < totalChunkCount; index++) {
		const start = index * chunkSize;
		const end = index === totalChunkCount - 1 ? videoSize - 1 : start + chunkSize - 1;
		chunks.push({ index, start, end, length: end - start + 1 });
	}
	return { videoSize, chunkSize, totalChunkCount, chunks };
}

/** The Content-Range header value for one chunk, e.g. "bytes 0-9/100". */
export function contentRange(chunk: PlannedChunk, total: number): string {
	return `bytes ${chunk.start}-${chunk.end}/${total}`;
}
