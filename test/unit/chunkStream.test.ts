/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
import { spawnSync } from 'child_process';
import { createHash } from 'crypto';
import { join } from 'path';
import { Readable } from 'stream';

import { buildFloorPlan, planChunks, type ChunkPlan } from '../../nodes/TikTok/shared/chunkPlan';
import {
	prefetchOne,
	readAheadAfterChunk,
	readAheadWhenAssembled,
	sliceBufferIntoChunks,
	sliceIntoChunks,
	type PlannedChunkBody,
} from '../../nodes/TikTok/shared/chunkStream';
import { InputError } from '../../nodes/TikTok/shared/inputError';
import { randomInt, seededRandom } from './helpers/random';

function patternBytes(size: number, seed: number): Buffer {
	const random = seededRandom(seed);
	const buffer = Buffer.alloc(size);
	for (let i = 0; i < size; i++) buffer[i] = Math.floor(random() * 256);
	return buffer;
}

/** Splits `data` into pieces of the given sizes (last piece takes the rest), as copies. */
function piecesOf(data: Buffer, sizes: number[]): Uint8Array[] {
	const pieces: Uint8Array[] = [];
	let offset = 0;
	for (const size of sizes) {
		if (offset >= data.length) break;
		pieces.push(Uint8Array.from(data.subarray(offset, offset + size)));
		offset += size;
	}
	if (offset < data.length) pieces.push(Uint8Array.from(data.subarray(offset)));
	return pieces;
}

/** An async source that records how many pieces were pulled and whether it was closed. */
function trackedSource(pieces: Uint8Array[]) {
	const state = { pulled: 0, closed: false };
	async function* generate(): AsyncGenerator<Uint8Array> {
		try {
			for (const piece of pieces) {
				state.pulled++;
				yield piece;
			}
		} finally {
			state.closed = true;
		}
	}
	return { source: generate(), state };
}

async function collect(iterable: AsyncIterable<PlannedChunkBody>): Promise<PlannedChunkBody[]> {
	const out: PlannedChunkBody[] = [];
	for await (const item of iterable) out.push(item);
	return out;
}

async function rejection(promise: Promise<unknown>): Promise<InputError> {
	try {
		await promise;
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error('expected an InputError');
}

function expectMatchesPlan(chunks: PlannedChunkBody[], plan: ChunkPlan, data: Buffer): void {
	expect(chunks.map((c) => c.chunk)).toEqual(plan.chunks);
	chunks.forEach(({ chunk, body }) => expect(body.length).toBe(chunk.length));
	expect(Buffer.concat(chunks.map((c) => c.body)).equals(data)).toBe(true);
}

describe('sliceIntoChunks', () => {
	const data = patternBytes(10_007, 1);
	const plan = buildFloorPlan(data.length, 1_000); // 10 chunks, the last one 1,007 bytes

	it.each([
		['1-byte pieces', [1]],
		['pieces of exactly one chunk', [1_000]],
		['pieces bigger than a chunk', [3_333]],
		['one piece holding the whole file', [data.length]],
		['pieces ending exactly on chunk boundaries', [500, 500]],
	])('reassembles %s into exactly the planned chunks', async (_label, pattern) => {
		const sizes = Array.from({ length: data.length }, (_, i) => pattern[i % pattern.length]);
		const chunks = await collect(sliceIntoChunks(Readable.from(piecesOf(data, sizes)), plan));
		expectMatchesPlan(chunks, plan, data);
	});

	it('reassembles 50 seeded random piece layouts, including empty pieces', async () => {
		const random = seededRandom(42);
		for (let run = 0; run < 50; run++) {
			const sizes: number[] = [];
			for (let total = 0; total < data.length; ) {
				const size = random() < 0.05 ? 0 : randomInt(random, 1, random() < 0.2 ? 4_000 : 300);
				sizes.push(size);
				total += size;
			}
			const pieces = piecesOf(data, sizes);
			async function* source() {
				for (const piece of pieces) yield piece;
			}
			const chunks = await collect(sliceIntoChunks(source(), plan));
			expectMatchesPlan(chunks, plan, data);
		}
	});

	it('handles a real multi-chunk plan (64 MiB + 1) streamed in 64 KiB pieces', async () => {
		const size = 64 * 1024 * 1024 + 1;
		const bigPlan = planChunks(size);
		const big = Buffer.alloc(size);
		for (let i = 0; i + 4 <= size; i += 4096) big.writeUInt32BE(i >>> 0, i);
		const expectedHash = createHash('sha256').update(big).digest('hex');
		const hash = createHash('sha256');
		let count = 0;
		for await (const { chunk, body } of sliceIntoChunks(Readable.from(piecesOf(big, Array(1100).fill(65_536))), bigPlan)) {
			expect(body.length).toBe(chunk.length);
			expect(chunk.index).toBe(count++);
			hash.update(body);
		}
		expect(count).toBe(bigPlan.totalChunkCount);
		expect(hash.digest('hex')).toBe(expectedHash);
	});

	it('passes a piece that is exactly one chunk on as it is, and copies the rest', async () => {
		const pieces = piecesOf(data, Array(100).fill(1_000)); // one piece per chunk; the final chunk needs two
		const chunks = await collect(sliceIntoChunks(Readable.from(pieces), plan));
		expectMatchesPlan(chunks, plan, data);
		for (let i = 0; i < plan.totalChunkCount - 1; i++) expect(chunks[i].body.buffer).toBe(pieces[i].buffer);
		const final = chunks[plan.totalChunkCount - 1].body;
		expect(pieces.some((piece) => piece.buffer === final.buffer)).toBe(false);
	});

	it('copies chunks out of pieces that do not line up, independent of those pieces', async () => {
		const pieces = piecesOf(data, Array(100).fill(700));
		const chunks = await collect(sliceIntoChunks(Readable.from(pieces), plan));
		for (const piece of pieces) piece.fill(0);
		expectMatchesPlan(chunks, plan, data);
	});

	it('passes on a chunk-long rest of a larger piece without touching what follows it', async () => {
		// A first piece of 2,000 bytes: chunk 0 is copied out of it, chunk 1 is the rest of it, sent as is.
		const pieces = piecesOf(data, [2_000, 1_500]);
		const iterator = sliceIntoChunks(Readable.from(pieces), plan);
		const first = (await iterator.next()).value as PlannedChunkBody;
		const second = (await iterator.next()).value as PlannedChunkBody;
		first.release?.();
		expect(second.body.buffer).toBe(pieces[0].buffer);
		expect(second.body.equals(data.subarray(1_000, 2_000))).toBe(true);
		await iterator.return(undefined);
	});

	it('reads no further than the piece holding the end of the current chunk', async () => {
		const { source, state } = trackedSource(piecesOf(data, Array(200).fill(100)));
		const iterator = sliceIntoChunks(source, plan);
		await iterator.next();
		expect(state.pulled).toBe(10); // 10 pieces of 100 bytes = chunk 0, nothing more
		await iterator.next();
		expect(state.pulled).toBe(20);
		await iterator.return(undefined);
		expect(state.closed).toBe(true);
	});

	it('fails when the data ends early, after the chunks that were complete', async () => {
		const short = data.subarray(0, 2_500);
		const yielded: number[] = [];
		const error = await rejection(
			(async () => {
				for await (const { chunk } of sliceIntoChunks(Readable.from(piecesOf(short, [700])), plan)) yielded.push(chunk.index);
			})(),
		);
		expect(yielded).toEqual([0, 1]);
		expect(error.message).toContain('2,500 bytes');
		expect(error.message).toContain('10,007 bytes');
		expect(error.hint).toMatch(/changed/);
	});

	it('fails before yielding the final chunk when the data is longer than planned', async () => {
		for (const extra of [Buffer.from([1]), Buffer.alloc(5_000)]) {
			const longer = Buffer.concat([data, extra]);
			for (const pieceSize of [1_007, 64, longer.length]) {
				const yielded: number[] = [];
				const error = await rejection(
					(async () => {
						for await (const { chunk } of sliceIntoChunks(Readable.from(piecesOf(longer, Array(20_000).fill(pieceSize))), plan)) {
							yielded.push(chunk.index);
						}
					})(),
				);
				expect(yielded).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8]);
				expect(error.message).toMatch(/longer than its size of 10,007 bytes/);
			}
		}
	});

	it('closes the source when the consumer stops early', async () => {
		const { source, state } = trackedSource(piecesOf(data, Array(100).fill(200)));
		for await (const { chunk } of sliceIntoChunks(source, plan)) {
			if (chunk.index === 2) break;
		}
		expect(state.closed).toBe(true);
		expect(state.pulled).toBeLessThan(20);
	});

	it('reuses two buffers when the consumer releases each chunk after sending it, without corrupting one', async () => {
		// The upload's pattern: one chunk read ahead while the current one is sent, then released.
		const reusePlan = buildFloorPlan(data.length, 1_000); // 10 chunks, the last 1,007 bytes
		const backings = new Set<ArrayBufferLike>();
		const sent: Buffer[] = [];
		for await (const { chunk, body, release } of prefetchOne(sliceIntoChunks(Readable.from(piecesOf(data, Array(100).fill(333))), reusePlan))) {
			if (chunk.index < reusePlan.totalChunkCount - 1) backings.add(body.buffer);
			sent.push(Buffer.from(body)); // what went on the wire, before the memory is given back
			release?.();
		}
		expect(Buffer.concat(sent).equals(data)).toBe(true);
		expect(backings.size).toBe(2);
	});

	it('sends a final chunk longer than the others from one of the two buffers, not a third one', async () => {
		const backings = new Set<ArrayBufferLike>();
		const sent: Buffer[] = [];
		for await (const { body, release } of prefetchOne(sliceIntoChunks(Readable.from(piecesOf(data, Array(100).fill(333))), plan), readAheadAfterChunk)) {
			backings.add(body.buffer);
			sent.push(Buffer.from(body));
			release?.();
		}
		expect(Buffer.concat(sent).equals(data)).toBe(true);
		expect(backings.size).toBe(2);
	});

	it('never overwrites a chunk that was not released', async () => {
		const iterator = sliceIntoChunks(Readable.from(piecesOf(data, Array(100).fill(250))), plan);
		const first = (await iterator.next()).value as PlannedChunkBody;
		const kept = Buffer.from(first.body);
		for (let i = 1; i < plan.totalChunkCount; i++) {
			const next = (await iterator.next()).value as PlannedChunkBody;
			expect(next.body.buffer).not.toBe(first.body.buffer);
			next.release?.();
		}
		expect(first.body.equals(kept)).toBe(true);
	});

	it('marks the chunk before a final chunk longer than the others, and only that one', async () => {
		const longerFinal = await collect(sliceIntoChunks(Readable.from(piecesOf(data, [250])), plan));
		expect(longerFinal.map((c) => c.precedesLargerChunk === true)).toEqual(plan.chunks.map((c) => c.index === 8));
		const even = patternBytes(10_000, 3);
		const evenPlan = buildFloorPlan(even.length, 1_000);
		const evenChunks = await collect(sliceIntoChunks(Readable.from(piecesOf(even, [250])), evenPlan));
		expect(evenChunks.some((c) => c.precedesLargerChunk)).toBe(false);
	});

	it('with read-ahead, reads a larger final chunk only after the chunk before it was handed back', async () => {
		const { source, state } = trackedSource(piecesOf(data, Array(200).fill(100)));
		const iterator = prefetchOne(sliceIntoChunks(source, plan), readAheadAfterChunk);
		for (let i = 0; i < 8; i++) await iterator.next();
		const beforeFinal = (await iterator.next()).value as PlannedChunkBody; // chunk 8
		await new Promise((resolve) => setImmediate(resolve));
		expect(beforeFinal.chunk.index).toBe(8);
		expect(state.pulled).toBe(90); // pieces of chunks 0-8 only: the final chunk is not read yet
		beforeFinal.release?.();
		const final = (await iterator.next()).value as PlannedChunkBody;
		expect(final.body.equals(data.subarray(9_000))).toBe(true);
		await iterator.return(undefined);
	});

	it('passes on an error from the source', async () => {
		async function* failing() {
			yield data.subarray(0, 1_500);
			throw new Error('disk read failed');
		}
		await expect(collect(sliceIntoChunks(failing(), plan))).rejects.toThrow('disk read failed');
	});
});

describe('sliceBufferIntoChunks', () => {
	it('yields views into the buffer, one per planned chunk', () => {
		const data = patternBytes(5_123, 2);
		const plan = buildFloorPlan(data.length, 1_024);
		const chunks = [...sliceBufferIntoChunks(data, plan)];
		expectMatchesPlan(chunks, plan, data);
		for (const { chunk, body } of chunks) {
			expect(body.buffer).toBe(data.buffer); // no copy
			expect(body.byteOffset).toBe(data.byteOffset + chunk.start);
		}
	});

	it('rejects a buffer whose size differs from the plan', () => {
		const plan = buildFloorPlan(100, 10);
		expect(() => [...sliceBufferIntoChunks(Buffer.alloc(99), plan)]).toThrow(InputError);
		expect(() => [...sliceBufferIntoChunks(Buffer.alloc(101), plan)]).toThrow(/longer than its size/);
	});
});

/** Lets every pending promise callback run (the source below resolves synchronously). */
async function settle(): Promise<void> {
	for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('prefetchOne', () => {
	function countingSource(count: number, failAt?: number) {
		const state = { started: 0, closed: false };
		async function* generate(): AsyncGenerator<number> {
			try {
				for (let i = 0; i < count; i++) {
					state.started++;
					if (i === failAt) throw new Error(`item ${i} failed`);
					yield i;
				}
			} finally {
				state.closed = true;
			}
		}
		return { source: generate(), state };
	}

	it('yields every item in order', async () => {
		const { source } = countingSource(5);
		const seen: number[] = [];
		for await (const item of prefetchOne(source)) seen.push(item);
		expect(seen).toEqual([0, 1, 2, 3, 4]);
	});

	it('reads nothing ahead after an item the caller says must not be followed by a read-ahead', async () => {
		const { source, state } = countingSource(5);
		const iterator = prefetchOne(source, (item) => item !== 2);
		expect((await iterator.next()).value).toBe(0);
		expect((await iterator.next()).value).toBe(1);
		expect((await iterator.next()).value).toBe(2);
		await new Promise((resolve) => setImmediate(resolve));
		expect(state.started).toBe(3); // item 3 waits until it is asked for
		expect((await iterator.next()).value).toBe(3);
		await new Promise((resolve) => setImmediate(resolve));
		expect(state.started).toBe(5);
		await iterator.return(undefined);
		expect(state.closed).toBe(true);
	});

	it('accepts an iterator as well as an iterable', async () => {
		const { source } = countingSource(3);
		const seen: number[] = [];
		for await (const item of prefetchOne(source[Symbol.asyncIterator]())) seen.push(item);
		expect(seen).toEqual([0, 1, 2]);
	});

	it('reads exactly one item ahead while the consumer works', async () => {
		const { source, state } = countingSource(10);
		const prefetching = prefetchOne(source);
		expect((await prefetching.next()).value).toBe(0);
		await settle();
		expect(state.started).toBe(2); // item 1 is being read while item 0 is processed
		expect((await prefetching.next()).value).toBe(1);
		await settle();
		expect(state.started).toBe(3);
		await prefetching.return(undefined);
		expect(state.closed).toBe(true);
	});

	it('reports a read-ahead failure when the consumer gets there', async () => {
		const { source } = countingSource(10, 2);
		const seen: number[] = [];
		const run = (async () => {
			for await (const item of prefetchOne(source)) {
				seen.push(item);
				await settle(); // the consumer is "uploading" while item 2 fails
			}
		})();
		await expect(run).rejects.toThrow('item 2 failed');
		expect(seen).toEqual([0, 1]);
	});

	it('does not leave the read-ahead failure as an unhandled rejection (in a real Node process)', () => {
		// jest swallows unhandled rejections; plain Node exits with code 1 on one.
		const probe = spawnSync(process.execPath, [require.resolve('tsx/cli'), join(__dirname, 'helpers', 'prefetchRejectionProbe.ts')], {
			encoding: 'utf8',
			timeout: 60_000,
		});
		expect({ status: probe.status, stderr: probe.stderr }).toEqual({ status: 0, stderr: '' });
		expect(JSON.parse(probe.stdout)).toEqual({ seen: [0, 1], caught: 'item 2 failed' });
	});

	it('closes the source when the consumer fails', async () => {
		const { source, state } = countingSource(10);
		await expect(
			(async () => {
				for await (const item of prefetchOne(source)) {
					if (item === 1) throw new Error('upload failed');
				}
			})(),
		).rejects.toThrow('upload failed');
		expect(state.closed).toBe(true);
		expect(state.started).toBe(3);
	});
});

describe('readAheadWhenAssembled', () => {
	const plan = buildFloorPlan(4_000, 1_000);

	function chunkSource(assembled: boolean) {
		const state = { pulled: 0, closed: false };
		async function* generate(): AsyncGenerator<PlannedChunkBody> {
			try {
				for (const chunk of plan.chunks) {
					state.pulled++;
					yield { chunk, body: Buffer.alloc(chunk.length), assembled };
				}
			} finally {
				state.closed = true;
			}
		}
		return { source: generate(), state };
	}

	it.each([
		{ assembled: true, pulled: 2, title: 'reads one chunk ahead when chunks are assembled from small pieces' },
		{ assembled: false, pulled: 1, title: 'adds no read-ahead when the stream hands over whole chunks (it reads ahead itself)' },
	])('$title', async ({ assembled, pulled }) => {
		const { source, state } = chunkSource(assembled);
		const iterator = readAheadWhenAssembled(source);
		await iterator.next();
		await new Promise((resolve) => setImmediate(resolve));
		expect(state.pulled).toBe(pulled);
		await iterator.return(undefined);
		expect(state.closed).toBe(true);
	});

	it.each([true, false])('yields every chunk in order (assembled: %s)', async (assembled) => {
		const { source } = chunkSource(assembled);
		const seen: number[] = [];
		for await (const { chunk } of readAheadWhenAssembled(source)) seen.push(chunk.index);
		expect(seen).toEqual([0, 1, 2, 3]);
	});

	it('closes the source when the first chunk fails', async () => {
		let closed = false;
		async function* failing(): AsyncGenerator<PlannedChunkBody> {
			try {
				yield* [];
				throw new Error('read failed');
			} finally {
				closed = true;
			}
		}
		await expect(readAheadWhenAssembled(failing()).next()).rejects.toThrow('read failed');
		expect(closed).toBe(true);
	});
});
