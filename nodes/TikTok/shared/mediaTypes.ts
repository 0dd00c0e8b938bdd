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

/** Top-level ISO base media boxes a MP4/MOV file can start with (QuickTime files may lack `ftyp`). */
const ISO_FIRST_BOXES = ['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid'];

/** What other files look like, so a wrongly named one is named for what it is. */
const OTHER_SIGNATURES: Array<{ bytes: number[]; name: string }> = [
	{ bytes: [0x25, 0x50, 0x44, 0x46], name: 'a PDF document' },
	{ bytes: [0x89, 0x50, 0x4e, 0x47], name: 'a PNG image' },
	{ bytes: [0xff, 0xd8, 0xff], name: 'a JPEG image' },
	{ bytes: [0x47, 0x49, 0x46, 0x38], name: 'a GIF image' },
	{ bytes: [0x50, 0x4b, 0x03, 0x04], name: 'a ZIP archive (or an Office document)' },
	{ bytes: [0x52, 0x49, 0x46, 0x46], name: 'a RIFF file (AVI, WAV or WebP)' },
	{ bytes: [0x1f, 0x8b], name: 'a gzip archive' },
	{ bytes: [0x3c], name: 'an HTML or XML page (often an error page saved instead of the video)' },
	{ bytes: [0x7b], name: 'JSON text (often an API error saved instead of the video)' },
];

function startsWith(head: Uint8Array, bytes: number[]): boolean {
	return bytes.every((byte, index) => head[index] === byte);
}

/**
 * Checks the file's first bytes, which the upload sends first anyway: a file named .mp4 that is a
 * PDF or a saved error page would otherwise be uploaded whole before TikTok refuses it. Returns the
 * Content-Type that matches the bytes (a WebM named .mp4 is sent as video/webm).
 */
export function confirmVideoContent(head: Uint8Array, declared: VideoContentType): VideoContentType {
	if (startsWith(head, [0x1a, 0x45, 0xdf, 0xa3])) return 'video/webm';
	const boxType = head.length >= 8 ? String.fromCharCode(head[4], head[5], head[6], head[7]) : '';
	if (ISO_FIRST_BOXES.includes(boxType)) return declared === 'video/webm' ? 'video/mp4' : declared;
	const other = OTHER_SIGNATURES.find((signature) => startsWith(head, signature.bytes));
	throw new InputError(
		`The file is not an MP4, MOV or WebM video: its content looks like ${other ? other.name : 'something else'}`,
		'Check that the previous node passes the video file itself (for example, a download that returned an error page or a ' +
			'sharing link instead of the file). Convert other formats to MP4 first.',
	);
}
