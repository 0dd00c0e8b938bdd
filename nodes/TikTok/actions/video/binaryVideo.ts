import type { IExecuteFunctions } from 'n8n-workflow';

import type { ChunkPlan } from '../../shared/chunkPlan';
import { assertVideoSize } from '../../shared/chunkPlan';
import {
	readAheadWhenAssembled,
	resumeWith,
	sliceBufferIntoChunks,
	sliceIntoChunks,
	type PlannedChunkBody,
} from '../../shared/chunkStream';
import { InputError } from '../../shared/inputError';
import { videoContentType, type VideoContentType } from '../../shared/mediaTypes';

/**
 * How much n8n's binary stream reads at a time. Reads of exactly one chunk line up with the
 * chunks (filesystem storage reads whole), so each goes to TikTok as read, with no copy and a
 * tenth of the reads, and the stream's own read-ahead of one read is the next chunk. Up to
 * ALIGNED_READ_MAX_BYTES only: larger chunks are read in small pieces (the stream's read-ahead
 * would then hold too much) and read one chunk ahead by readAheadWhenAssembled.
 */
const ALIGNED_READ_MAX_BYTES = 16 * 1024 * 1024;
const SMALL_READ_BYTES = 1024 * 1024;

/** A video from an input item's binary property, readable as a stream whatever n8n's storage mode. */
export interface BinaryVideo {
	size: number;
	contentType: VideoContentType;
	fileName?: string;
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
		chunks: (plan) => toAsync(sliceBufferIntoChunks(buffer, plan)),
	};
}

async function* streamChunks(
	open: (readBytes: number) => Promise<AsyncIterable<Uint8Array>>,
	plan: ChunkPlan,
): AsyncGenerator<PlannedChunkBody> {
	const readBytes = plan.chunkSize <= ALIGNED_READ_MAX_BYTES ? plan.chunkSize : SMALL_READ_BYTES;
	// Small pieces (small reads, or object storage, which may ignore the read size) are assembled
	// into chunks, and then read one chunk ahead.
	yield* readAheadWhenAssembled(sliceIntoChunks(await open(readBytes), plan));
}

async function* toAsync<T>(source: Iterable<T>): AsyncGenerator<T> {
	yield* source;
}

/** The chunks with the first one already read (its first bytes hold the container's duration). */
export interface OpenedChunks {
	first: PlannedChunkBody;
	/** Every chunk, the first one included; read it once. */
	all: AsyncIterable<PlannedChunkBody>;
	/** Stops reading (closes n8n's stream) if the upload never takes the chunks over. */
	close(): Promise<void>;
}

export async function openChunks(video: BinaryVideo, plan: ChunkPlan): Promise<OpenedChunks> {
	const iterator = video.chunks(plan)[Symbol.asyncIterator]();
	const first = await iterator.next();
	if (first.done) throw new InputError('The video data is empty', 'Check that the previous node produced the video.');
	return {
		first: first.value,
		all: resumeWith(first.value, iterator),
		close: async () => {
			await iterator.return?.(undefined);
		},
	};
}
