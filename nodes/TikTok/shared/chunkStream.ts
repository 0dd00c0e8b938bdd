import type { ChunkPlan, PlannedChunk } from './chunkPlan';
import { formatBytes } from './chunkPlan';
import { ChunkBuffers, releaseMemory } from './chunkBuffers';
import { InputError } from './inputError';

export interface PlannedChunkBody {
	chunk: PlannedChunk;
	body: Buffer;
	/** True when the body was assembled from smaller stream pieces (false: a piece passed on as it is, or a view). */
	assembled?: boolean;
	/**
	 * True for the chunk before a final chunk too large for the reused buffers: the final chunk is
	 * best read only once this one is sent and its buffer freed, so at most two chunks' worth of
	 * memory is held even when the final chunk is nearly two chunks long.
	 */
	precedesLargerChunk?: boolean;
	/**
	 * Gives the body's memory back for a later chunk (bodies the node filled itself); call it only
	 * once TikTok has confirmed the whole chunk, since the memory is then overwritten.
	 */
	release?: () => void;
}

const SIZE_CHANGED_HINT =
	'The binary data does not match its recorded file size: it may have changed while being read. ' +
	'Re-create the binary data (for example re-download the file) and run the node again.';

const ignore = (): void => undefined;

/** Closes a source without letting a failing close hide the error that made us stop. */
async function closeQuietly<T>(iterator: AsyncIterator<T>): Promise<void> {
	try {
		await iterator.return?.();
	} catch {
		// The original outcome (result or error) matters more than a failed close.
	}
}

function asBuffer(piece: Uint8Array): Buffer {
	// A view, not a copy: bytes are copied at most once, into a chunk buffer.
	return Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
}

function tooShort(received: number, plan: ChunkPlan): InputError {
	return new InputError(
		`The video data ended after ${formatBytes(received)}, but its size is ${formatBytes(plan.videoSize)}`,
		SIZE_CHANGED_HINT,
	);
}

function tooLong(plan: ChunkPlan): InputError {
	return new InputError(
		`The video data is longer than its size of ${formatBytes(plan.videoSize)}`,
		SIZE_CHANGED_HINT,
	);
}

/**
 * Re-slices a stream of arbitrarily sized pieces into exactly the planned chunks.
 * A piece that is exactly the next chunk is passed on as it is; other chunks are assembled, with
 * one copy per byte, in buffers reused from chunk to chunk once released. Holds only the chunk
 * being assembled plus the piece that straddles a chunk boundary. Before yielding the final
 * chunk it checks that the source has no bytes left, so a file that grew never has its last
 * chunk (which makes TikTok publish) sent.
 */
export async function* sliceIntoChunks(
	source: AsyncIterable<Uint8Array>,
	plan: ChunkPlan,
): AsyncGenerator<PlannedChunkBody> {
	const iterator = source[Symbol.asyncIterator]();
	let exhausted = false;
	const last = plan.chunks[plan.chunks.length - 1];
	const buffers = new ChunkBuffers(plan.chunks[0].length, last.length);
	const precedesLarger = (chunk: PlannedChunk) => chunk.index === last.index - 1 && last.length > plan.chunks[0].length;

	const nextPiece = async (): Promise<Buffer | undefined> => {
		for (;;) {
			const result = await iterator.next();
			if (result.done) {
				exhausted = true;
				return undefined;
			}
			const piece = asBuffer(result.value);
			if (piece.length > 0) return piece;
		}
	};

	try {
		let piece: Buffer = Buffer.alloc(0);
		let source: Buffer = piece;
		let received = 0;
		for (const chunk of plan.chunks) {
			if (piece.length === 0) {
				const next = await nextPiece();
				if (next === undefined) throw tooShort(received, plan);
				piece = next;
				source = next;
			}
			let prepared: PlannedChunkBody;
			if (piece.length === chunk.length) {
				// The piece is exactly this chunk (reads of chunk size from a file line up): send it
				// as it is, no copy. Nothing else reads a stream's piece once it is ours.
				const body = piece;
				piece = Buffer.alloc(0);
				prepared = { chunk, body, assembled: false, release: () => releaseMemory(body) };
			} else {
				// Filled as pieces arrive: one copy, no concat.
				const { body, release } = buffers.lend(chunk.length);
				let collected = 0;
				while (collected < chunk.length) {
					if (piece.length === 0) {
						const next = await nextPiece();
						if (next === undefined) throw tooShort(received + collected, plan);
						piece = next;
						source = next;
					}
					const take = Math.min(piece.length, chunk.length - collected);
					piece.copy(body, collected, 0, take);
					piece = piece.subarray(take);
					collected += take;
					// Copied, and nothing else reads a stream's piece once it is ours: free it now.
					if (piece.length === 0) releaseMemory(source);
				}
				prepared = { chunk, body, assembled: true, release };
			}
			received += chunk.length;
			if (chunk.index === last.index) {
				if (piece.length > 0 || (await nextPiece()) !== undefined) throw tooLong(plan);
			}
			yield { ...prepared, precedesLargerChunk: precedesLarger(chunk) };
		}
	} finally {
		buffers.close();
		// Stop the source (e.g. destroy a file stream) when the consumer quits early or we threw.
		if (!exhausted) await closeQuietly(iterator);
	}
}

/** Memory mode: the chunks are views into the buffer, nothing is copied. */
export function* sliceBufferIntoChunks(buffer: Buffer, plan: ChunkPlan): Generator<PlannedChunkBody> {
	if (buffer.length < plan.videoSize) throw tooShort(buffer.length, plan);
	if (buffer.length > plan.videoSize) throw tooLong(plan);
	for (const chunk of plan.chunks) {
		yield { chunk, body: buffer.subarray(chunk.start, chunk.end + 1) };
	}
}

/** Read the next chunk ahead, except a final chunk larger than the others (see precedesLargerChunk). */
export function readAheadAfterChunk(piece: PlannedChunkBody): boolean {
	return piece.precedesLargerChunk !== true;
}

/**
 * Reads one chunk ahead, unless the source already does. A stream whose pieces are whole chunks
 * (n8n's filesystem storage honours the read size) holds the next piece in its own buffer, so a
 * read-ahead on top would hold a third chunk for nothing; a stream of smaller pieces (object
 * storage ignores the read size) needs it. The first chunk tells which one this is.
 */
export async function* readAheadWhenAssembled(chunks: AsyncIterable<PlannedChunkBody>): AsyncGenerator<PlannedChunkBody> {
	const iterator = chunks[Symbol.asyncIterator]();
	let handedOver = false;
	try {
		const first = await iterator.next();
		if (first.done) return;
		const rest = resumeWith(first.value, iterator);
		handedOver = true; // from here on, `rest` closes the iterator
		yield* first.value.assembled ? prefetchOne(rest, readAheadAfterChunk) : rest;
	} finally {
		if (!handedOver) await closeQuietly(iterator);
	}
}

/** Yields an item already taken from an iterator, then the rest of it; closes it if stopped early. */
export async function* resumeWith<T>(first: T, rest: AsyncIterator<T>): AsyncGenerator<T> {
	let finished = false;
	try {
		yield first;
		for (;;) {
			const result = await rest.next();
			if (result.done) {
				finished = true;
				return;
			}
			yield result.value;
		}
	} finally {
		if (!finished) await closeQuietly(rest);
	}
}

function isAsyncIterable<T>(value: AsyncIterator<T> | AsyncIterable<T>): value is AsyncIterable<T> {
	return typeof (value as AsyncIterable<T>)[Symbol.asyncIterator] === 'function';
}

/**
 * Reads one item ahead: while the consumer works on item N (e.g. uploads a chunk), item N+1
 * is already being produced (read from disk/S3). Never more than one item is read ahead.
 */
export async function* prefetchOne<T>(
	source: AsyncIterator<T> | AsyncIterable<T>,
	/** False for an item whose successor must not be read until the consumer asks for it. */
	readAheadAfter: (item: T) => boolean = () => true,
): AsyncGenerator<T> {
	const iterator = isAsyncIterable(source) ? source[Symbol.asyncIterator]() : source;
	let pending = iterator.next();
	// The consumer may take a while before we await `pending`: mark a rejection as handled
	// now; awaiting the original promise below still rethrows it.
	pending.catch(ignore);
	let finished = false;
	try {
		for (;;) {
			const result = await pending; // a failed read rethrows here; closing it after is harmless
			if (result.done) {
				finished = true;
				return;
			}
			const ahead = readAheadAfter(result.value);
			if (ahead) {
				pending = iterator.next();
				pending.catch(ignore);
			}
			yield result.value;
			if (!ahead) {
				pending = iterator.next();
				pending.catch(ignore);
			}
		}
	} finally {
		if (!finished) {
			// Let the read-ahead settle before closing the source, so no read outlives us.
			await pending.then(ignore, ignore);
			await closeQuietly(iterator);
		}
	}
}
