// FILE_UPLOAD chunk plan rules (reference §7.1, §7.2, §10). `megabyte` is the unresolved MB
// definition (§7.3, §18 q1): 1000000 or 1048576.

export const CHUNK_SIZE_INVALID = 'The chunk size is invalid';
export const CHUNK_COUNT_INVALID = 'The total chunk count is invalid';
export const VIDEO_SIZE_INVALID = 'The video size is invalid';

export interface ChunkPlan {
	videoSize: number;
	chunkSize: number;
	totalChunkCount: number;
}

/** The error message TikTok gives for this plan, or null if TikTok accepts it. */
export function chunkPlanError(plan: ChunkPlan, megabyte: number): string | null {
	const { videoSize, chunkSize, totalChunkCount } = plan;
	const min = 5 * megabyte;
	const max = 64 * megabyte;
	const finalMax = 128 * megabyte;
	// Max file size 4 GB (reference §10), in the same unit system as `megabyte`.
	const maxVideo = 4 * (megabyte === 1048576 ? 1024 ** 3 : 1000 ** 3);
	if (videoSize < 1) return VIDEO_SIZE_INVALID;
	if (totalChunkCount < 1 || totalChunkCount > 1000) return CHUNK_COUNT_INVALID;
	if (videoSize > maxVideo) return VIDEO_SIZE_INVALID;
	if (totalChunkCount === 1) {
		// One chunk: the whole file, and only files up to 64 MB may go whole (§7.1, §7.2).
		if (chunkSize !== videoSize || videoSize > max) return CHUNK_SIZE_INVALID;
		return null;
	}
	if (chunkSize < min || chunkSize > max) return CHUNK_SIZE_INVALID;
	if (totalChunkCount !== Math.floor(videoSize / chunkSize)) return CHUNK_COUNT_INVALID;
	if (finalChunkLength(plan) > finalMax) return CHUNK_SIZE_INVALID;
	return null;
}

/** The final chunk carries the remainder (§7.1). */
export function finalChunkLength(plan: ChunkPlan): number {
	return plan.videoSize - (plan.totalChunkCount - 1) * plan.chunkSize;
}

export function expectedChunkLength(plan: ChunkPlan, index: number): number {
	return index === plan.totalChunkCount - 1 ? finalChunkLength(plan) : plan.chunkSize;
}
