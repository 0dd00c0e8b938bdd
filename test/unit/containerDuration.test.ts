import { DURATION_PROBE_BYTES, readContainerDurationSeconds } from '../../nodes/TikTok/shared/containerDuration';
import { seededRandom } from './helpers/random';

// ---------- tiny byte builders (ISO BMFF boxes and EBML elements), written from the specs ----------

function u32(value: number): Buffer {
	const b = Buffer.alloc(4);
	b.writeUInt32BE(value);
	return b;
}
function u64(value: bigint): Buffer {
	const b = Buffer.alloc(8);
	b.writeBigUInt64BE(value);
	return b;
}
function box(type: string, ...payload: Buffer[]): Buffer {
	const body = Buffer.concat(payload);
	return Buffer.concat([u32(8 + body.length), Buffer.from(type, 'latin1'), body]);
}
/** A box using the 64-bit "largesize" header (size field 1). */
function largeBox(type: string, ...payload: Buffer[]): Buffer {
	const body = Buffer.concat(payload);
	return Buffer.concat([u32(1), Buffer.from(type, 'latin1'), u64(BigInt(16 + body.length)), body]);
}
/** A box whose size field is 0: "extends to the end of the file". */
function toEndBox(type: string, ...payload: Buffer[]): Buffer {
	return Buffer.concat([u32(0), Buffer.from(type, 'latin1'), ...payload]);
}
/** A box header declaring `declaredSize` bytes, of which only `present` payload bytes follow. */
function partialBox(type: string, declaredSize: number, present: number): Buffer {
	return Buffer.concat([u32(declaredSize), Buffer.from(type, 'latin1'), Buffer.alloc(present, 0xab)]);
}
const MVHD_TAIL = Buffer.alloc(80); // rate, volume, matrix, pre_defined, next_track_ID
function mvhdV0(timescale: number, duration: number): Buffer {
	return box('mvhd', Buffer.from([0, 0, 0, 0]), u32(3_000_000_000), u32(3_000_000_001), u32(timescale), u32(duration), MVHD_TAIL);
}
function mvhdV1(timescale: number, duration: bigint): Buffer {
	return box('mvhd', Buffer.from([1, 0, 0, 0]), u64(BigInt(3_000_000_000)), u64(BigInt(3_000_000_001)), u32(timescale), u64(duration), MVHD_TAIL);
}
const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(512), Buffer.from('isomiso2avc1mp41', 'latin1'));
const trak = box('trak', box('tkhd', Buffer.alloc(84)));

function ebmlSize(size: number): Buffer {
	if (size < 0x7f) return Buffer.from([0x80 | size]);
	const b = Buffer.alloc(8);
	b.writeBigUInt64BE(BigInt(size));
	b[0] = 0x01; // 8-byte length marker (sizes here are far below 2^56)
	return b;
}
const UNKNOWN_SIZE = Buffer.from([0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
function element(id: number[], ...payload: Buffer[]): Buffer {
	const body = Buffer.concat(payload);
	return Buffer.concat([Buffer.from(id), ebmlSize(body.length), body]);
}
function unknownSizeElement(id: number[], ...payload: Buffer[]): Buffer {
	return Buffer.concat([Buffer.from(id), UNKNOWN_SIZE, ...payload]);
}
function float64(value: number): Buffer {
	const b = Buffer.alloc(8);
	b.writeDoubleBE(value);
	return b;
}
function float32(value: number): Buffer {
	const b = Buffer.alloc(4);
	b.writeFloatBE(value);
	return b;
}
function uint(value: number, bytes: number): Buffer {
	const b = Buffer.alloc(bytes);
	b.writeUIntBE(value, 0, bytes);
	return b;
}
const ID = {
	EBML: [0x1a, 0x45, 0xdf, 0xa3],
	DocType: [0x42, 0x82],
	Segment: [0x18, 0x53, 0x80, 0x67],
	SeekHead: [0x11, 0x4d, 0x9b, 0x74],
	Void: [0xec],
	Info: [0x15, 0x49, 0xa9, 0x66],
	TimecodeScale: [0x2a, 0xd7, 0xb1],
	Duration: [0x44, 0x89],
	MuxingApp: [0x4d, 0x80],
	Tracks: [0x16, 0x54, 0xae, 0x6b],
	Cluster: [0x1f, 0x43, 0xb6, 0x75],
};
const ebmlHeader = element(ID.EBML, element(ID.DocType, Buffer.from('webm', 'latin1')));
const seekHead = element(ID.SeekHead, Buffer.alloc(40, 0x42));
const cluster = element(ID.Cluster, Buffer.alloc(500, 0x11));

// ---------- MP4 / MOV ----------

describe('readContainerDurationSeconds: MP4 and MOV', () => {
	it('reads a version 0 mvhd in moov after ftyp', () => {
		const file = Buffer.concat([ftyp, box('moov', mvhdV0(1000, 12_345), trak), partialBox('mdat', 50_000_000, 64)]);
		expect(readContainerDurationSeconds(file)).toBeCloseTo(12.345, 9);
	});

	it('reads a version 1 mvhd (64-bit times) after a free box', () => {
		const file = Buffer.concat([ftyp, box('free', Buffer.alloc(32)), box('moov', mvhdV1(90_000, BigInt(90_000 * 65)), trak)]);
		expect(readContainerDurationSeconds(file)).toBe(65);
	});

	it('finds mvhd after other children of moov', () => {
		const file = Buffer.concat([ftyp, box('moov', box('udta', Buffer.alloc(20)), mvhdV0(600, 1_800))]);
		expect(readContainerDurationSeconds(file)).toBe(3);
	});

	it('reads a QuickTime file that starts with a wide atom and no ftyp', () => {
		const file = Buffer.concat([box('wide'), box('moov', mvhdV0(600, 6_000))]);
		expect(readContainerDurationSeconds(file)).toBe(10);
	});

	it('follows a 64-bit largesize box and a size-0 ("to end of file") moov', () => {
		const large = Buffer.concat([ftyp, largeBox('free', Buffer.alloc(10)), box('moov', mvhdV0(1000, 2_500))]);
		expect(readContainerDurationSeconds(large)).toBe(2.5);
		const toEnd = Buffer.concat([ftyp, toEndBox('moov', mvhdV0(1000, 4_000))]);
		expect(readContainerDurationSeconds(toEnd)).toBe(4);
	});

	it('gives up when the media data comes before moov (moov at the end of a large file)', () => {
		const file = Buffer.concat([ftyp, partialBox('mdat', 80_000_000, 2_000)]);
		expect(readContainerDurationSeconds(file)).toBeUndefined();
	});

	it('still finds moov after a small mdat wholly inside the probed bytes', () => {
		const file = Buffer.concat([ftyp, box('mdat', Buffer.alloc(1_000)), box('moov', mvhdV0(1000, 7_000))]);
		expect(readContainerDurationSeconds(file)).toBe(7);
	});

	it('returns undefined for an unknown duration, a zero timescale or an unknown mvhd version', () => {
		expect(readContainerDurationSeconds(Buffer.concat([ftyp, box('moov', mvhdV0(1000, 0xffffffff))]))).toBeUndefined();
		expect(readContainerDurationSeconds(Buffer.concat([ftyp, box('moov', mvhdV0(0, 1000))]))).toBeUndefined();
		const v2 = mvhdV0(1000, 1000);
		v2[8] = 2;
		expect(readContainerDurationSeconds(Buffer.concat([ftyp, box('moov', v2)]))).toBeUndefined();
		expect(readContainerDurationSeconds(Buffer.concat([ftyp, box('moov', trak)]))).toBeUndefined();
	});

	it('reads from a view that does not start at offset 0 of its memory', () => {
		const file = Buffer.concat([Buffer.alloc(13, 0xff), ftyp, box('moov', mvhdV0(1000, 1_500))]);
		expect(readContainerDurationSeconds(file.subarray(13))).toBe(1.5);
		expect(readContainerDurationSeconds(new Uint8Array(file.buffer, file.byteOffset + 13, file.length - 13))).toBe(1.5);
	});

	it('never throws on any truncation: undefined until the whole mvhd is there', () => {
		const file = Buffer.concat([ftyp, box('moov', mvhdV1(1000, BigInt(42_000)))]);
		const mvhdEnd = ftyp.length + 8 + 8 + 4 + 16 + 4 + 8; // moov header, mvhd header, version/flags, times, timescale, duration
		for (let length = 0; length <= file.length; length++) {
			const result = readContainerDurationSeconds(file.subarray(0, length));
			expect([length, result]).toEqual([length, length >= mvhdEnd ? 42 : undefined]);
		}
	});
});

// ---------- WebM / Matroska ----------

describe('readContainerDurationSeconds: WebM and Matroska', () => {
	it('reads a float64 Duration with the default TimecodeScale (1 ms)', () => {
		const file = Buffer.concat([
			ebmlHeader,
			element(ID.Segment, seekHead, element(ID.Void, Buffer.alloc(10)), element(ID.Info, element(ID.Duration, float64(12_345))), cluster),
		]);
		expect(readContainerDurationSeconds(file)).toBeCloseTo(12.345, 9);
	});

	it('applies an explicit TimecodeScale and a float32 Duration', () => {
		const info = element(ID.Info, element(ID.TimecodeScale, uint(100_000, 3)), element(ID.MuxingApp, Buffer.from('x')), element(ID.Duration, float32(50_000)));
		const file = Buffer.concat([ebmlHeader, element(ID.Segment, info, cluster)]);
		expect(readContainerDurationSeconds(file)).toBe(5);
	});

	it('handles a Segment of unknown size (live-written files)', () => {
		const info = element(ID.Info, element(ID.TimecodeScale, uint(1_000_000, 3)), element(ID.Duration, float64(61_500)));
		const file = Buffer.concat([ebmlHeader, unknownSizeElement(ID.Segment, seekHead, info, unknownSizeElement(ID.Cluster, Buffer.alloc(100)))]);
		expect(readContainerDurationSeconds(file)).toBe(61.5);
	});

	it('returns undefined when Info has no Duration (e.g. browser MediaRecorder output)', () => {
		const info = element(ID.Info, element(ID.TimecodeScale, uint(1_000_000, 3)));
		expect(readContainerDurationSeconds(Buffer.concat([ebmlHeader, unknownSizeElement(ID.Segment, info, cluster)]))).toBeUndefined();
	});

	it('returns undefined when a Cluster or an unknown-size element comes before Info', () => {
		const info = element(ID.Info, element(ID.Duration, float64(1_000)));
		expect(readContainerDurationSeconds(Buffer.concat([ebmlHeader, element(ID.Segment, cluster, info)]))).toBeUndefined();
		expect(
			readContainerDurationSeconds(Buffer.concat([ebmlHeader, unknownSizeElement(ID.Segment, unknownSizeElement(ID.Tracks, info))])),
		).toBeUndefined();
	});

	it('returns undefined for a Duration of an invalid width', () => {
		const info = element(ID.Info, element(ID.Duration, Buffer.from([0x40, 0x00, 0x00])));
		expect(readContainerDurationSeconds(Buffer.concat([ebmlHeader, element(ID.Segment, info)]))).toBeUndefined();
	});

	it('never throws on any truncation: undefined until Duration is complete', () => {
		const head = Buffer.concat([ebmlHeader, unknownSizeElement(ID.Segment), seekHead]);
		const infoHead = Buffer.concat([Buffer.from(ID.Info), ebmlSize(11)]);
		const durationElement = element(ID.Duration, float64(2_000));
		const file = Buffer.concat([head, infoHead, durationElement, cluster]);
		const complete = head.length + infoHead.length + durationElement.length;
		for (let length = 0; length <= complete + 20; length++) {
			const result = readContainerDurationSeconds(file.subarray(0, length));
			expect([length, result]).toEqual([length, length >= complete ? 2 : undefined]);
		}
	});
});

describe('readContainerDurationSeconds: anything else', () => {
	it('returns undefined for empty and foreign data', () => {
		expect(readContainerDurationSeconds(new Uint8Array(0))).toBeUndefined();
		expect(readContainerDurationSeconds(Buffer.from('GIF89a not a video at all'))).toBeUndefined();
		expect(readContainerDurationSeconds(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeUndefined();
	});

	it('returns undefined or a real duration for 300 seeded random inputs, nor on random bytes after a valid signature', () => {
		const random = seededRandom(7);
		for (let i = 0; i < 300; i++) {
			const bytes = Buffer.alloc(1 + Math.floor(random() * 2_000));
			for (let j = 0; j < bytes.length; j++) bytes[j] = Math.floor(random() * 256);
			if (i % 3 === 1) Buffer.from(ID.EBML).copy(bytes); // looks like WebM
			if (i % 3 === 2 && bytes.length >= 8) Buffer.from('moov', 'latin1').copy(bytes, 4); // looks like MP4
			const result = readContainerDurationSeconds(bytes);
			if (result !== undefined) expect(Number.isFinite(result) && result > 0).toBe(true);
		}
	});

	it('probes the first MiB of the file', () => {
		expect(DURATION_PROBE_BYTES).toBe(1024 * 1024);
	});
});
