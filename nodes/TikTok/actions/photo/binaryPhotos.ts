import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { formatBytes } from '../../shared/chunkPlan';
import { IMAGE_PROBE_BYTES, inspectImage, type ImageInfo } from '../../shared/imageInfo';
import { InputError } from '../../shared/inputError';
import { MAX_PHOTOS } from '../../shared/validation';

/**
 * Photo Source "Binary Files": TikTok takes photos only by downloading them (PULL_FROM_URL) from
 * a verified domain or URL prefix. n8n can serve an item's binary data itself at a signed,
 * expiring URL under its own public address (`<webhook URL>/rest/binary-data/signed?token=…`), so
 * the user verifies that prefix once and TikTok pulls the images straight from n8n.
 */

/** TikTok's limit per photo (20 MB, read as the stricter 20,000,000 bytes). */
export const MAX_PHOTO_BYTES = 20_000_000;
/** "Maximum 1080p": the shorter side at most 1080 px (TikTok does not say which side; see README). */
export const MAX_PHOTO_SHORT_SIDE = 1080;
/**
 * TikTok's download task may take up to an hour after the post is created; the signed URLs must
 * outlive it, and no longer.
 */
export const SIGNED_URL_LIFETIME = '2h';

/** One image as it goes to TikTok, and how it is named in messages. */
export interface ServedPhoto {
	url: string;
	bytes: number;
	/** e.g. "image 2 (beach.jpg, binary field \"data_1\")". */
	label: string;
	width?: number;
	height?: number;
}

function labelOf(index: number, property: string, data: IBinaryData): string {
	return `image ${index + 1} (${data.fileName ? `${data.fileName}, ` : ''}binary field "${property}")`;
}

/** The binary fields to post, in order: the ones named, or every binary field of the item. */
export function photoFields(binary: Record<string, IBinaryData>, named: string): string[] {
	const wanted = named
		.split(',')
		.map((name) => name.trim())
		.filter(Boolean);
	const present = Object.keys(binary);
	if (wanted.length === 0) {
		if (present.length === 0) {
			throw new InputError(
				'The input item has no binary data to post as photos',
				'Add a node before this one that outputs the images as files (e.g. Google Drive "Download", HTTP Request with the "File" response format, an AI image node). To put images from several items into one post, combine them first (Aggregate node, "Include Binaries").',
			);
		}
		return present;
	}
	const missing = wanted.filter((name) => !binary[name]);
	if (missing.length > 0) {
		throw new InputError(
			`The input item has no binary field ${missing.map((name) => `"${name}"`).join(', ')}`,
			present.length ? `Binary fields of this item: ${present.join(', ')}. Leave "Input Binary Fields" empty to post all of them.` : 'The item has no binary data at all.',
		);
	}
	return wanted;
}

function checkImage(info: ImageInfo, bytes: number, label: string): void {
	if (info.format === 'png') {
		throw new InputError(
			`${label} is a PNG, which TikTok does not accept for photo posts`,
			'Convert it to JPEG or WebP first (in the tool that made it, or with an image node before this one).',
		);
	}
	if (info.format === 'other') {
		throw new InputError(`${label} is not a JPEG or WebP image`, 'TikTok photo posts take JPEG or WebP images only.');
	}
	if (bytes > MAX_PHOTO_BYTES) {
		throw new InputError(`${label} is ${formatBytes(bytes)}, more than TikTok's 20 MB per photo`, 'Compress or resize the image below 20 MB.');
	}
	if (info.width !== undefined && info.height !== undefined && Math.min(info.width, info.height) > MAX_PHOTO_SHORT_SIDE) {
		throw new InputError(
			`${label} is ${info.width}×${info.height} px, larger than TikTok's 1080p`,
			`Resize it so its shorter side is at most ${MAX_PHOTO_SHORT_SIDE} px (for example 1080×1920 for a portrait photo).`,
		);
	}
}

async function readHead(ctx: IExecuteFunctions, binaryId: string): Promise<Uint8Array> {
	const stream = await ctx.helpers.getBinaryStream(binaryId, IMAGE_PROBE_BYTES);
	const pieces: Buffer[] = [];
	let length = 0;
	for await (const piece of stream as AsyncIterable<Buffer>) {
		pieces.push(piece);
		length += piece.length;
		if (length >= IMAGE_PROBE_BYTES) break; // leaving the loop closes the stream
	}
	return Buffer.concat(pieces, length).subarray(0, IMAGE_PROBE_BYTES);
}

/**
 * Checks every image of the item before anything is sent to TikTok, then gives each a signed URL
 * n8n serves without a login until it expires.
 */
export async function servePhotos(this: IExecuteFunctions, itemIndex: number, namedFields: string): Promise<ServedPhoto[]> {
	const binary = this.getInputData()[itemIndex]?.binary ?? {};
	const fields = photoFields(binary, namedFields);
	if (fields.length > MAX_PHOTOS) {
		throw new InputError(
			`${fields.length} images were given, but TikTok allows at most ${MAX_PHOTOS} per post`,
			'Name fewer binary fields in "Input Binary Fields", or split the images into several items.',
		);
	}
	const sign = (this.helpers as Partial<IExecuteFunctions['helpers']>).createBinarySignedUrl;
	if (typeof sign !== 'function') {
		throw new InputError(
			'This n8n version cannot serve binary data at a signed URL, which photo posts from binary files need',
			'Update n8n to 1.89 or later, or use Photo Source "URLs" with images on a domain verified in your TikTok app.',
		);
	}
	const photos: ServedPhoto[] = [];
	for (const [index, field] of fields.entries()) {
		const data = binary[field];
		const label = labelOf(index, field, data);
		if (!data.id) {
			throw new InputError(
				`${label} is kept in n8n's memory, where n8n cannot serve it to TikTok`,
				'Set n8n\'s binary data mode to filesystem, database or S3 (N8N_DEFAULT_BINARY_DATA_MODE; filesystem is the default since n8n 2.0), then run the workflow again.',
			);
		}
		const { fileSize } = await this.helpers.getBinaryMetadata(data.id);
		const info = inspectImage(await readHead(this, data.id));
		checkImage(info, fileSize, label);
		photos.push({ url: sign.call(this.helpers, data, SIGNED_URL_LIFETIME), bytes: fileSize, label, width: info.width, height: info.height });
	}
	return photos;
}

/**
 * Which image a download failure points to: TikTok reports the bytes it fetched, and it fetches
 * the images in order. Undefined when TikTok did not say.
 */
export function imageWhereDownloadStopped(photos: ServedPhoto[], downloadedBytes: unknown): ServedPhoto | undefined {
	if (typeof downloadedBytes !== 'number' || !Number.isFinite(downloadedBytes)) return undefined;
	let end = 0;
	for (const photo of photos) {
		end += photo.bytes;
		if (downloadedBytes < end) return photo;
	}
	return undefined;
}
