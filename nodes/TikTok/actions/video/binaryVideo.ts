import type { IExecuteFunctions } from 'n8n-workflow';

import type { ChunkPlan } from '../../shared/chunkPlan';
import { assertVideoSize } from '../../shared/chunkPlan';
import { sliceBufferIntoChunks, sliceIntoChunks, type PlannedChunkBody } from '../../shared/chunkStream';
import { DURATION_PROBE_BYTES } from '../../shared/containerDuration';
import { InputError } from '../../shared/inputError';
import { videoContentType, type VideoContentType } from '../../shared/mediaTypes';

/** How much n8n's binary stream reads at a time: small, so its buffer adds little to the chunks. */
const STREAM_READ_BYTES = 1024 * 1024;

/** A video from an input item's binary property, readable as a stream whatever n8n's storage mode. */
export interface BinaryVideo {
	size: number;
	contentType: VideoContentType;
	fileName?: string;
	/** The first bytes of the file (for the container's duration), without reading the rest. */
	readHead(): Promise<Buffer>;
	/** The file re-sliced into TikTok's planned chunks, read as they are needed. */
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
		const open = async () => await this.helpers.getBinaryStream(binaryId, STREAM_READ_BYTES);
		return {
			size: metadata.fileSize,
			contentType,
			fileName: data.fileName ?? metadata.fileName,
			readHead: async () => await readHead(await open()),
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
	open: () => Promise<AsyncIterable<Uint8Array>>,
	plan: ChunkPlan,
): AsyncGenerator<PlannedChunkBody> {
	yield* sliceIntoChunks(await open(), plan);
}

async function* toAsync<T>(source: Iterable<T>): AsyncGenerator<T> {
	yield* source;
}
