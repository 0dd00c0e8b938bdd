import {
	buildFloorPlan,
	contentRange,
	DEFAULT_CHUNK_BYTES,
	MAX_CHUNK_BYTES,
	MAX_CHUNK_COUNT,
	MAX_VIDEO_BYTES,
	MIN_CHUNK_BYTES,
	planChunks,
	type ChunkPlan,
} from '../../nodes/TikTok/shared/chunkPlan';
import { InputError } from '../../nodes/TikTok/shared/inputError';
import { randomInt, seededRandom } from './helpers/random';
import { BINARY_MB, chunkRuleViolations, DECIMAL_MB } from './helpers/tiktokChunkRules';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

function expectValidUnderBothReadings(plan: ChunkPlan): void {
	expect({ decimal: chunkRuleViolations(plan, DECIMAL_MB), binary: chunkRuleViolations(plan, BINARY_MB) }).toEqual({
		decimal: [],
		binary: [],
	});
}

function catchInputError(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error('expected an InputError');
}

describe('the independent TikTok rule checker', () => {
	it("accepts the docs' own example: 50,000,123 bytes in 5 chunks of 10,000,000", () => {
		const plan = buildFloorPlan(50_000_123, 10_000_000);
		expect(plan.totalChunkCount).toBe(5);
		expect(plan.chunks[4]).toEqual({ index: 4, start: 40_000_000, end: 50_000_122, length: 10_000_123 });
		expect(plan.chunks.slice(0, 4).map((c) => c.length)).toEqual([10_000_000, 10_000_000, 10_000_000, 10_000_000]);
		expect(contentRange(plan.chunks[4], plan.videoSize)).toBe('bytes 40000000-50000122/50000123');
		expect(contentRange(plan.chunks[0], plan.videoSize)).toBe('bytes 0-9999999/50000123');
		expect(chunkRuleViolations(plan, DECIMAL_MB)).toEqual([]);
		expect(chunkRuleViolations(plan, BINARY_MB)).toEqual([]);
	});

	it('rejects a ceil()-based chunk count (the "total chunk count is invalid" bug)', () => {
		const plan = buildFloorPlan(15_000_000, 10_000_000);
		const ceilPlan = {
			...plan,
			totalChunkCount: 2,
			chunks: [
				{ index: 0, start: 0, end: 9_999_999, length: 10_000_000 },
				{ index: 1, start: 10_000_000, end: 14_999_999, length: 5_000_000 },
			],
		};
		expect(chunkRuleViolations(ceilPlan, DECIMAL_MB)).toContain(
			'total_chunk_count must be floor(video_size / chunk_size)',
		);
	});

	it('rejects one chunk whose chunk_size is not the video size', () => {
		const plan = { videoSize: 15_000_000, chunkSize: 10_000_000, totalChunkCount: 1, chunks: [{ index: 0, start: 0, end: 14_999_999, length: 15_000_000 }] };
		expect(chunkRuleViolations(plan, DECIMAL_MB)).toContain('a single chunk must have chunk_size == video_size');
	});

	it('tells the two readings of MB apart', () => {
		// 64 MiB chunks are fine in binary MB, too big in decimal MB.
		const mibPlan = buildFloorPlan(3 * 64 * MiB - 1, 64 * MiB);
		expect(chunkRuleViolations(mibPlan, BINARY_MB)).toEqual([]);
		expect(chunkRuleViolations(mibPlan, DECIMAL_MB)).toEqual(
			expect.arrayContaining(['chunk_size must be 5..64 MB', 'the final chunk must be at most 128 MB']),
		);
		// 5,000,000-byte chunks are fine in decimal MB, too small in binary MB.
		const decimalPlan = buildFloorPlan(100_000_000, 5_000_000);
		expect(chunkRuleViolations(decimalPlan, DECIMAL_MB)).toEqual([]);
		expect(chunkRuleViolations(decimalPlan, BINARY_MB)).toContain('chunk_size must be 5..64 MB');
	});

	it('rejects an unsplit file over 64 MB', () => {
		const plan = buildFloorPlan(121 * DECIMAL_MB, 121 * DECIMAL_MB);
		expect(chunkRuleViolations(plan, DECIMAL_MB)).toContain('files over 64 MB must be split');
	});
});

describe('planChunks', () => {
	it('uses the documented limits, each the stricter of decimal and binary MB', () => {
		expect(MIN_CHUNK_BYTES).toBe(Math.max(5 * DECIMAL_MB, 5 * BINARY_MB));
		expect(MAX_CHUNK_BYTES).toBe(Math.min(64 * DECIMAL_MB, 64 * BINARY_MB));
		expect(MAX_CHUNK_COUNT).toBe(1000);
		expect(DEFAULT_CHUNK_BYTES).toBe(10 * MiB);
	});

	it.each([
		['1 byte', 1],
		['5 MiB - 1', 5 * MiB - 1],
		['5 MiB', 5 * MiB],
		['5,000,000', 5_000_000],
		['50,000,123 (docs example size)', 50_000_123],
		['64,000,000', 64_000_000],
	])('uploads %s as one chunk with chunk_size == video_size', (_label, size) => {
		const plan = planChunks(size);
		expect(plan.totalChunkCount).toBe(1);
		expect(plan.chunkSize).toBe(size);
		expect(plan.chunks).toEqual([{ index: 0, start: 0, end: size - 1, length: size }]);
		expect(contentRange(plan.chunks[0], size)).toBe(`bytes 0-${size - 1}/${size}`);
		expectValidUnderBothReadings(plan);
	});

	it.each([
		// size, preferred chunk, expected count, expected final chunk length (computed by hand)
		['64,000,001 with 10 MiB', 64_000_001, 10 * MiB, 6, 64_000_001 - 5 * 10 * MiB],
		['64 MiB with 10 MiB', 64 * MiB, 10 * MiB, 6, 14 * MiB],
		['64 MiB + 1 with 10 MiB', 64 * MiB + 1, 10 * MiB, 6, 14 * MiB + 1],
		['64,000,001 with 64,000,000 (shrinks to half)', 64_000_001, 64_000_000, 2, 32_000_001],
		['64 MiB + 1 with 64,000,000 (shrinks to half)', 64 * MiB + 1, 64_000_000, 2, 64 * MiB + 1 - Math.floor((64 * MiB + 1) / 2)],
		['final chunk 1 byte under 128 MB', 192_000_000 - 1, 64_000_000, 2, 128_000_000 - 1],
		['final chunk 1 byte under 128 MB, many chunks', 10 * 64_000_000 + 63_999_999, 64_000_000, 10, 127_999_999],
		['4 GiB with the largest chunk', 4 * GiB, 64_000_000, 67, 4 * GiB - 66 * 64_000_000],
		['4 GiB with the smallest chunk', 4 * GiB, 5 * MiB, 819, 4 * GiB - 818 * 5 * MiB],
		['4 GiB with the default chunk', 4 * GiB, 10 * MiB, 409, 4 * GiB - 408 * 10 * MiB],
	])('splits %s', (_label, size, preferred, count, finalLength) => {
		const plan = planChunks(size, preferred);
		expect(plan.totalChunkCount).toBe(count);
		expect(plan.chunks).toHaveLength(count);
		expect(plan.chunks[count - 1].length).toBe(finalLength);
		expect(plan.chunks[count - 1].end).toBe(size - 1);
		expectValidUnderBothReadings(plan);
	});

	it('stays within 1000 chunks for the largest file with the smallest chunk size', () => {
		const plan = planChunks(MAX_VIDEO_BYTES, MIN_CHUNK_BYTES);
		expect(plan.totalChunkCount).toBeLessThanOrEqual(1000);
		expect(plan.chunkSize).toBe(MIN_CHUNK_BYTES);
		expectValidUnderBothReadings(plan);
	});

	it('keeps the preferred chunk size whenever the file holds at least two such chunks', () => {
		expect(planChunks(200_000_000, 7_000_000).chunkSize).toBe(7_000_000);
		expect(planChunks(128_000_000, 64_000_000).chunkSize).toBe(64_000_000);
	});

	it('produces valid plans for 400 seeded random sizes and chunk sizes', () => {
		const random = seededRandom(0x71c70c);
		for (let i = 0; i < 400; i++) {
			// log-uniform sizes from 1 byte to 4 GiB, so small and large files are both covered
			const size = Math.min(MAX_VIDEO_BYTES, Math.max(1, Math.round(Math.exp(random() * Math.log(MAX_VIDEO_BYTES)))));
			const preferred = randomInt(random, MIN_CHUNK_BYTES, MAX_CHUNK_BYTES);
			const plan = planChunks(size, preferred);
			const problems = [...chunkRuleViolations(plan, DECIMAL_MB), ...chunkRuleViolations(plan, BINARY_MB)];
			if (problems.length > 0) throw new Error(`size ${size}, preferred ${preferred}: ${problems.join('; ')}`);
			expect(plan.chunkSize).toBeLessThanOrEqual(Math.max(preferred, size));
		}
	});

	it('rejects an empty file', () => {
		const error = catchInputError(() => planChunks(0));
		expect(error.message).toMatch(/empty/);
		expect(error.hint).toMatch(/binary property/);
	});

	it.each([
		['4 GiB + 1', 4 * GiB + 1],
		['5 GiB', 5 * GiB],
	])('rejects %s as over the 4 GB limit', (_label, size) => {
		const error = catchInputError(() => planChunks(size));
		expect(error.message).toMatch(/4 GB/);
		expect(error.hint).toMatch(/[Cc]ompress/);
	});

	it.each([
		['negative', -1],
		['fractional', 1.5],
		['NaN', Number.NaN],
		['infinite', Number.POSITIVE_INFINITY],
	])('rejects a %s size', (_label, size) => {
		const error = catchInputError(() => planChunks(size));
		expect(error.message).toMatch(/whole number of bytes/);
		expect(error.hint.length).toBeGreaterThan(10);
	});

	it.each([
		['5 MiB - 1', 5 * MiB - 1],
		['5,000,000', 5_000_000],
		['64,000,001', 64_000_001],
		['64 MiB', 64 * MiB],
		['fractional', 6_000_000.5],
		['NaN', Number.NaN],
	])('rejects a preferred chunk size of %s, even for a small file', (_label, preferred) => {
		for (const size of [1_000, 100_000_000]) {
			const error = catchInputError(() => planChunks(size, preferred));
			expect(error.message).toMatch(/chunk size/);
			expect(error.hint).toMatch(/5,242,880/);
			expect(error.hint).toMatch(/64,000,000/);
		}
	});
});

describe('contentRange', () => {
	it('formats an inclusive byte range with the total', () => {
		expect(contentRange({ index: 0, start: 0, end: 9, length: 10 }, 100)).toBe('bytes 0-9/100');
		expect(contentRange({ index: 3, start: 90, end: 99, length: 10 }, 100)).toBe('bytes 90-99/100');
	});
});

describe('buildFloorPlan', () => {
	it('refuses a chunk size larger than the file or not positive', () => {
		expect(() => buildFloorPlan(10, 11)).toThrow(RangeError);
		expect(() => buildFloorPlan(10, 0)).toThrow(RangeError);
	});
});
