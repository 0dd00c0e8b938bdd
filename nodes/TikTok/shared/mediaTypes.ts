import { InputError } from './inputError';

export type VideoContentType = 'video/mp4' | 'video/quicktime' | 'video/webm';

export const ACCEPTED_VIDEO_TYPES: readonly VideoContentType[] = ['video/mp4', 'video/quicktime', 'video/webm'];

const BY_MIME_TYPE: Record<string, VideoContentType> = {
	'video/mp4': 'video/mp4',
	'video/x-m4v': 'video/mp4',
	'application/mp4': 'video/mp4',
	'video/quicktime': 'video/quicktime',
	'video/webm': 'video/webm',
};

const BY_EXTENSION: Record<string, VideoContentType> = {
	mp4: 'video/mp4',
	m4v: 'video/mp4',
	mov: 'video/quicktime',
	qt: 'video/quicktime',
	webm: 'video/webm',
};

function lookup(table: Record<string, VideoContentType>, key: string): VideoContentType | undefined {
	return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

/** "Video/MP4; codecs=avc1" → "video/mp4". */
function essence(mimeType: string | undefined): string {
	return (mimeType ?? '').split(';')[0].trim().toLowerCase();
}

function extensionOf(fileName: string | undefined): string {
	const name = (fileName ?? '').trim().split(/[\\/]/).pop() ?? '';
	const dot = name.lastIndexOf('.');
	return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
}

/**
 * The Content-Type for TikTok's upload PUT. The mime type wins when it names an accepted
 * container; otherwise (missing, application/octet-stream, or a server's odd label) the file
 * extension decides. `fileExtension` is n8n's binary `fileExtension` (without the dot).
 */
export function videoContentType(
	mimeType: string | undefined,
	fileName: string | undefined,
	fileExtension?: string,
): VideoContentType {
	const mime = essence(mimeType);
	const byMime = lookup(BY_MIME_TYPE, mime);
	if (byMime) return byMime;

	const extension = extensionOf(fileName) || (fileExtension ?? '').trim().replace(/^\./, '').toLowerCase();
	const byExtension = lookup(BY_EXTENSION, extension);
	if (byExtension) return byExtension;

	const received = [mime ? `type "${mime}"` : 'no type', extension ? `extension ".${extension}"` : 'no extension'];
	throw new InputError(
		`TikTok does not accept this file as a video (${received.join(', ')})`,
		`Upload an MP4 (.mp4), MOV (.mov) or WebM (.webm) video, i.e. ${ACCEPTED_VIDEO_TYPES.join(', ')}; convert other formats (e.g. with ffmpeg) first. ` +
			'If the file is one of these, set its MIME type or file name correctly in the previous node.',
	);
}
