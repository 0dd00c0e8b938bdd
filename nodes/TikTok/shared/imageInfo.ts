/**
 * What an image file is and how large, from its first bytes (no decoding): TikTok takes photo
 * posts as JPEG or WebP only, at most 1080p. Returns `format: 'other'` for anything it does not
 * recognise; width and height are undefined when the header does not reveal them.
 */
export interface ImageInfo {
	format: 'jpeg' | 'webp' | 'png' | 'other';
	width?: number;
	height?: number;
}

/** How much of an image's start the node reads (a JPEG's EXIF block can precede its size). */
export const IMAGE_PROBE_BYTES = 256 * 1024;

/** JPEG start-of-frame markers carry the size (not C4, C8, CC: tables and a reserved marker). */
const SOF_MARKERS = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function ascii(head: Uint8Array, start: number, length: number): string {
	return String.fromCharCode(...head.subarray(start, start + length));
}

export function inspectImage(head: Uint8Array): ImageInfo {
	if (head[0] === 0xff && head[1] === 0xd8 && head[2] === 0xff) return { format: 'jpeg', ...jpegSize(head) };
	if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WEBP') return { format: 'webp', ...webpSize(head) };
	if (head[0] === 0x89 && ascii(head, 1, 3) === 'PNG') {
		const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
		return head.length >= 24 ? { format: 'png', width: view.getUint32(16), height: view.getUint32(20) } : { format: 'png' };
	}
	return { format: 'other' };
}

function jpegSize(head: Uint8Array): { width?: number; height?: number } {
	const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
	let offset = 2;
	while (offset + 9 < head.length) {
		if (head[offset] !== 0xff) return {};
		const marker = head[offset + 1];
		if (marker === 0xff) {
			offset++; // fill byte
			continue;
		}
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
			offset += 2; // markers without a length
			continue;
		}
		if (SOF_MARKERS.has(marker)) return { height: view.getUint16(offset + 5), width: view.getUint16(offset + 7) };
		offset += 2 + view.getUint16(offset + 2);
	}
	return {};
}

function webpSize(head: Uint8Array): { width?: number; height?: number } {
	if (head.length < 30) return {};
	const chunk = ascii(head, 12, 4);
	if (chunk === 'VP8 ' && head[23] === 0x9d && head[24] === 0x01 && head[25] === 0x2a) {
		return { width: (head[26] | (head[27] << 8)) & 0x3fff, height: (head[28] | (head[29] << 8)) & 0x3fff };
	}
	if (chunk === 'VP8L' && head[20] === 0x2f) {
		const [b0, b1, b2, b3] = [head[21], head[22], head[23], head[24]];
		return { width: 1 + (((b1 & 0x3f) << 8) | b0), height: 1 + (((b3 & 0x0f) << 10) | (b2 << 2) | ((b1 & 0xc0) >> 6)) };
	}
	if (chunk === 'VP8X') {
		return { width: 1 + (head[24] | (head[25] << 8) | (head[26] << 16)), height: 1 + (head[27] | (head[28] << 8) | (head[29] << 16)) };
	}
	return {};
}
