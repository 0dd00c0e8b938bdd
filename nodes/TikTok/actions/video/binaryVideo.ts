import type { IExecuteFunctions } from 'n8n-workflow';

import type { ChunkPlan } from '../../shared/chunkPlan';
import { assertVideoSize } from '../../shared/chunkPlan';
import {
	prefetchOne,
	readAheadWhenAssembled,
	sliceBufferIntoChunks,
	sliceIntoChunks,
	type PlannedChunkBody,
} from '../../shared/chunkStream';
import { DURATION_PROBE_BYTES } from '../../shared/containerDuration';
import { InputError } from '../../shared/inputError';
import { videoContentType, type VideoContentType } from '../../shared/mediaTypes';

/**
 * How much n8n's binary stream reads at a time. Reads of exactly one chunk line up with the
 * chunks (filesystem storage reads whole), so each goes to TikTok as read, with no copy and a
 * tenth of the reads, and the stream's own read-ahead of one read is the next chunk. Up to
 * ALIGNED_READ_MAX_BYTES only: larger chunks are read in small pieces (the stream's read-ahead
 * would then hold too much) and read one chunk ahead by prefetchOne.
 */
const ALIGNED_READ_MAX_BYTES = 16 * 1024 * 1024;
const SMALL_READ_BYTES = 1024 * 1024;

/** A video from an input item's binary property, readable as a stream whatever n8n's storage mode. */
export interface BinaryVideo {
	size: number;
	contentType: VideoContentType;
	fileName?: string;
	/** The first bytes of the file (for the container's duration), without reading the rest. */
	readHead(): Promise<Buffer>;
	/** The file re-sliced into TikTok's planned chunks; the next one is read while one is sent. */
	chunks(plan: ChunkPlan): AsyncIterable<PlannedChunkBody>;
}

export async function openBinaryVideo(
	this: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<BinaryVideo> {
	const binary = this.getInputData()[itemIndex]?.binary ?? {};
	const data = binary[propertyName];
	if (!data) {
		const present = Object.keys(binary);
		throw new InputError(
			`The input item has no binary property "${propertyName}"`,
			present.length
				? `Set "Input Binary Field" to one of: ${present.join(', ')}.`
				: 'Add a node before this one that outputs the video as a file (e.g. Read/Write Files from Disk, Google Drive "Download", or HTTP Request with the "File" response format).',
		);
	}
	const contentType = videoContentType(data.mimeType, data.fileName, data.fileExtension);

	const binaryId = data.id;
	if (binaryId) {
		// Stored outside memory (filesystem, database, S3): stream it, never load it whole.
		const metadata = await this.helpers.getBinaryMetadata(binaryId);
		assertVideoSize(metadata.fileSize);
		const open = async (readBytes: number) => await this.helpers.getBinaryStream(binaryId, readBytes);
		return {
			size: metadata.fileSize,
			contentType,
			fileName: data.fileName ?? metadata.fileName,
			readHead: async () => await readHead(await open(SMALL_READ_BYTES)),
			chunks: (plan) => streamChunks(open, plan),
		};
	}

	// In-memory mode: n8n already holds the bytes; slice views of them.
	const buffer = await this.helpers.getBinaryDataBuffer(itemIndex, propertyName);
	assertVideoSize(buffer.length);
	return {
		size: buffer.length,
		contentType,
		fileName: data.fileName,
		readHead: async () => buffer.subarray(0, DURATION_PROBE_BYTES),
		chunks: (plan) => toAsync(sliceBufferIntoChunks(buffer, plan)),
	};
}

async function readHead(stream: AsyncIterable<Uint8Array>): Promise<Buffer> {
	const pieces: Buffer[] = [];
	let length = 0;
	for await (const piece of stream) {
		pieces.push(Buffer.from(piece));
		length += piece.length;
		if (length >= DURATION_PROBE_BYTES) break; // leaving the loop closes the stream
	}
	return Buffer.concat(pieces).subarray(0, DURATION_PROBE_BYTES);
}

async function* streamChunks(
	open: (readBytes: number) => Promise<AsyncIterable<Uint8Array>>,
	plan: ChunkPlan,
): AsyncGenerator<PlannedChunkBody> {
	if (plan.chunkSize <= ALIGNED_READ_MAX_BYTES) {
		// Object storage may ignore the read size: then the chunks are assembled and read ahead.
		yield* readAheadWhenAssembled(sliceIntoChunks(await open(plan.chunkSize), plan));
	} else {
		yield* prefetchOne(sliceIntoChunks(await open(SMALL_READ_BYTES), plan));
	}
}

async function* toAsync<T>(source: Iterable<T>): AsyncGenerator<T> {
	yield* source;
}
