/**
 * An independent reading of TikTok's FILE_UPLOAD chunk rules (media transfer guide, reference
 * §7.1 plus the field-learned §7.2), written from the docs rather than from chunkPlan.ts.
 * `mb` is how many bytes TikTok's "MB" means: a plan must pass under both readings.
 * (The 4 GB file-size ceiling is not a chunk rule and is tested separately.)
 */
export const DECIMAL_MB = 1000 * 1000;
export const BINARY_MB = 1024 * 1024;

export interface PlanLike {
	videoSize: number;
	chunkSize: number;
	totalChunkCount: number;
	chunks: Array<{ index: number; start: number; end: number; length: number }>;
}

export function chunkRuleViolations(plan: PlanLike, mb: number): string[] {
	const problems: string[] = [];
	const { videoSize, chunkSize, totalChunkCount, chunks } = plan;
	const count = totalChunkCount;

	if (!Number.isInteger(videoSize) || videoSize <= 0) problems.push('video_size must be a positive integer');
	if (!Number.isInteger(chunkSize) || chunkSize <= 0) problems.push('chunk_size must be a positive integer');
	if (!Number.isInteger(count) || count < 1 || count > 1000) problems.push('total_chunk_count must be 1..1000');
	if (count !== Math.floor(videoSize / chunkSize)) problems.push('total_chunk_count must be floor(video_size / chunk_size)');
	if (chunks.length !== count) problems.push('number of chunks sent must equal total_chunk_count');

	if (videoSize < 5 * mb && count !== 1) problems.push('files under 5 MB must be uploaded whole');
	if (videoSize > 64 * mb && count < 2) problems.push('files over 64 MB must be split');
	if (count === 1 && chunkSize !== videoSize) problems.push('a single chunk must have chunk_size == video_size');
	if (count > 1 && (chunkSize < 5 * mb || chunkSize > 64 * mb)) problems.push('chunk_size must be 5..64 MB');

	let expectedStart = 0;
	chunks.forEach((chunk, i) => {
		if (chunk.index !== i) problems.push(`chunk ${i} has index ${chunk.index}`);
		if (chunk.start !== expectedStart) problems.push(`chunk ${i} must start at byte ${expectedStart}`);
		if (chunk.length !== chunk.end - chunk.start + 1) problems.push(`chunk ${i} length does not match its range`);
		const isFinal = i === chunks.length - 1;
		if (!isFinal && chunk.length !== chunkSize) problems.push(`chunk ${i} must be exactly chunk_size`);
		if (count > 1 && chunk.length < 5 * mb) problems.push(`chunk ${i} is under 5 MB`);
		if (count > 1 && !isFinal && chunk.length > 64 * mb) problems.push(`chunk ${i} is over 64 MB`);
		if (isFinal && chunk.length > 128 * mb) problems.push('the final chunk must be at most 128 MB');
		if (isFinal && count > 1 && chunk.length < chunkSize) problems.push('the final chunk must absorb the remainder');
		expectedStart = chunk.end + 1;
	});
	if (chunks.length > 0 && expectedStart !== videoSize) problems.push('chunks must cover the whole file exactly');
	return problems;
}
