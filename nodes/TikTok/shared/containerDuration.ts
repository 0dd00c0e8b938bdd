/**
 * Reads a video's duration from the start of its file, without decoding: MP4/MOV `moov/mvhd`
 * or WebM/Matroska `Segment/Info/Duration`. Returns undefined whenever the header does not
 * reveal it (moov after the media data, live WebM without Duration, truncated or foreign
 * data): the caller then lets TikTok check the duration. Never throws.
 */

/** How much of the file start the node reads for this probe. */
export const DURATION_PROBE_BYTES = 1024 * 1024;

export function readContainerDurationSeconds(header: Uint8Array): number | undefined {
	try {
		const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
		const seconds = isEbml(view) ? readMatroskaDuration(view) : readMp4Duration(view);
		return seconds !== undefined && Number.isFinite(seconds) && seconds > 0 ? seconds : undefined;
	} catch {
		return undefined;
	}
}

// ---------- MP4 / QuickTime (ISO base media file format) ----------

interface Box {
	type: string;
	/** Offset of the box's payload (after size/type/largesize). */
	payloadStart: number;
	/** Offset just past the box; may lie beyond the bytes we have. */
	end: number;
}

function fourCC(view: DataView, offset: number): string | undefined {
	let text = '';
	for (let i = 0; i < 4; i++) {
		const code = view.getUint8(offset + i);
		// Box types are printable ASCII (QuickTime also uses ©, 0xA9); anything else is not a box.
		if ((code < 0x20 || code > 0x7e) && code !== 0xa9) return undefined;
		text += String.fromCharCode(code);
	}
	return text;
}

/** Reads the box header at `offset`; `limit` is where the enclosing box (or file) ends. */
function readBox(view: DataView, offset: number, limit: number): Box | undefined {
	if (offset + 8 > view.byteLength) return undefined;
	const size32 = view.getUint32(offset);
	const type = fourCC(view, offset + 4);
	if (type === undefined) return undefined;
	let payloadStart = offset + 8;
	let size: number;
	if (size32 === 1) {
		if (offset + 16 > view.byteLength) return undefined;
		size = Number(view.getBigUint64(offset + 8));
		payloadStart = offset + 16;
	} else if (size32 === 0) {
		size = limit - offset; // "extends to the end of the file"
	} else {
		size = size32;
	}
	if (!Number.isSafeInteger(size) || size < payloadStart - offset) return undefined;
	return { type, payloadStart, end: offset + size };
}

/** Finds a child box of the given type between `start` and `end` (boxes fully inside the header only). */
function findBox(view: DataView, type: string, start: number, end: number, fileLimit: number): Box | undefined {
	let offset = start;
	// Each step advances by at least 8 bytes, so this ends within byteLength / 8 iterations.
	while (offset + 8 <= Math.min(end, view.byteLength)) {
		const box = readBox(view, offset, Math.min(end, fileLimit));
		if (box === undefined) return undefined;
		if (box.type === type) return box;
		if (box.end <= offset || box.end > end) return undefined;
		offset = box.end;
	}
	return undefined;
}

function readMp4Duration(view: DataView): number | undefined {
	// The file's real length is unknown; a size-0 box "to the end of file" is bounded by what we
	// have, which is only a problem for a size-0 box before moov (then moov is unreachable anyway).
	const unknownEnd = Number.MAX_SAFE_INTEGER;
	const moov = findBox(view, 'moov', 0, unknownEnd, view.byteLength);
	if (moov === undefined) return undefined;
	const mvhd = findBox(view, 'mvhd', moov.payloadStart, moov.end, view.byteLength);
	if (mvhd === undefined) return undefined;

	const p = mvhd.payloadStart;
	const version = view.getUint8(p);
	let timescale: number;
	let duration: number;
	if (version === 0) {
		if (p + 20 > view.byteLength) return undefined;
		timescale = view.getUint32(p + 12);
		const raw = view.getUint32(p + 16);
		if (raw === 0xffffffff) return undefined; // "unknown duration"
		duration = raw;
	} else if (version === 1) {
		if (p + 32 > view.byteLength) return undefined;
		timescale = view.getUint32(p + 20);
		const raw = view.getBigUint64(p + 24);
		if (raw === BigInt('0xffffffffffffffff')) return undefined;
		duration = Number(raw);
	} else {
		return undefined;
	}
	if (timescale === 0) return undefined;
	return duration / timescale;
}

// ---------- WebM / Matroska (EBML) ----------

const EBML_HEADER_ID = 0x1a45dfa3;
const SEGMENT_ID = 0x18538067;
const INFO_ID = 0x1549a966;
const TIMECODE_SCALE_ID = 0x2ad7b1;
const DURATION_ID = 0x4489;
const CLUSTER_ID = 0x1f43b675;
const DEFAULT_TIMECODE_SCALE_NS = 1_000_000;

function isEbml(view: DataView): boolean {
	return view.byteLength >= 4 && view.getUint32(0) === EBML_HEADER_ID;
}

interface Vint {
	value: number;
	length: number;
	/** All value bits set: an element of unknown size. */
	unknown: boolean;
}

/** An EBML variable-length integer; `keepMarker` for element ids, which keep their length bits. */
function readVint(view: DataView, offset: number, keepMarker: boolean): Vint | undefined {
	if (offset >= view.byteLength) return undefined;
	const first = view.getUint8(offset);
	let length = 1;
	while (length <= 8 && (first & (0x80 >> (length - 1))) === 0) length++;
	if (length > 8 || offset + length > view.byteLength) return undefined;
	let value = keepMarker ? first : first & (0xff >> length);
	let allOnes = value === 0xff >> length;
	for (let i = 1; i < length; i++) {
		const byte = view.getUint8(offset + i);
		value = value * 256 + byte;
		allOnes = allOnes && byte === 0xff;
	}
	return { value, length, unknown: !keepMarker && allOnes };
}

interface Element {
	id: number;
	dataStart: number;
	/** undefined when the size is unknown (streamed element). */
	dataEnd: number | undefined;
}

function readElement(view: DataView, offset: number): Element | undefined {
	const id = readVint(view, offset, true);
	if (id === undefined) return undefined;
	const size = readVint(view, offset + id.length, false);
	if (size === undefined) return undefined;
	const dataStart = offset + id.length + size.length;
	return { id: id.value, dataStart, dataEnd: size.unknown ? undefined : dataStart + size.value };
}

function readUnsigned(view: DataView, start: number, end: number): number | undefined {
	if (end - start < 1 || end - start > 8 || end > view.byteLength) return undefined;
	let value = 0;
	for (let i = start; i < end; i++) value = value * 256 + view.getUint8(i);
	return value;
}

function readFloat(view: DataView, start: number, end: number): number | undefined {
	if (end > view.byteLength) return undefined;
	if (end - start === 4) return view.getFloat32(start);
	if (end - start === 8) return view.getFloat64(start);
	return undefined;
}

function readInfoDuration(view: DataView, start: number, end: number): number | undefined {
	let timecodeScale = DEFAULT_TIMECODE_SCALE_NS;
	let duration: number | undefined;
	let offset = start;
	while (offset < end && offset < view.byteLength) {
		const element = readElement(view, offset);
		if (element === undefined || element.dataEnd === undefined || element.dataEnd <= offset) break;
		if (element.id === TIMECODE_SCALE_ID) {
			timecodeScale = readUnsigned(view, element.dataStart, element.dataEnd) ?? timecodeScale;
		} else if (element.id === DURATION_ID) {
			duration = readFloat(view, element.dataStart, element.dataEnd);
		}
		offset = element.dataEnd;
	}
	if (duration === undefined || timecodeScale <= 0) return undefined;
	return (duration * timecodeScale) / 1e9;
}

function readMatroskaDuration(view: DataView): number | undefined {
	const header = readElement(view, 0);
	if (header === undefined || header.id !== EBML_HEADER_ID || header.dataEnd === undefined) return undefined;

	let offset = header.dataEnd;
	let segment: Element | undefined;
	while (offset < view.byteLength) {
		const element = readElement(view, offset);
		if (element === undefined) return undefined;
		if (element.id === SEGMENT_ID) {
			segment = element;
			break;
		}
		if (element.dataEnd === undefined || element.dataEnd <= offset) return undefined;
		offset = element.dataEnd; // e.g. a Void element between header and segment
	}
	if (segment === undefined) return undefined;

	const segmentEnd = segment.dataEnd ?? view.byteLength; // unknown size: runs to the end of the file
	offset = segment.dataStart;
	while (offset < segmentEnd && offset < view.byteLength) {
		const element = readElement(view, offset);
		if (element === undefined) return undefined;
		if (element.id === INFO_ID) {
			return readInfoDuration(view, element.dataStart, element.dataEnd ?? view.byteLength);
		}
		// Info precedes the media clusters in practice; an unknown-size element can't be skipped.
		if (element.id === CLUSTER_ID || element.dataEnd === undefined || element.dataEnd <= offset) return undefined;
		offset = element.dataEnd;
	}
	return undefined;
}
