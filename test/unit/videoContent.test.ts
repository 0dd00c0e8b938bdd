// The first bytes of a "video" decide before any TikTok call whether it is one.
import { InputError } from '../../nodes/TikTok/shared/inputError';
import { confirmVideoContent } from '../../nodes/TikTok/shared/mediaTypes';

const bytes = (...values: Array<number | string>) =>
	Buffer.concat(values.map((value) => (typeof value === 'string' ? Buffer.from(value, 'latin1') : Buffer.from([value]))));
const isoBox = (type: string) => bytes(0, 0, 0, 0x18, type, 'isom\0\0\x02\0');

describe('confirmVideoContent', () => {
	it.each(['ftyp', 'moov', 'mdat', 'free', 'wide'])('accepts an ISO media file starting with %s', (box) => {
		expect(confirmVideoContent(isoBox(box), 'video/mp4')).toBe('video/mp4');
		expect(confirmVideoContent(isoBox(box), 'video/quicktime')).toBe('video/quicktime');
	});

	it('sends what the bytes are when the name says otherwise', () => {
		expect(confirmVideoContent(bytes(0x1a, 0x45, 0xdf, 0xa3, 0x9f), 'video/mp4')).toBe('video/webm');
		expect(confirmVideoContent(isoBox('ftyp'), 'video/webm')).toBe('video/mp4');
	});

	it.each([
		[bytes('%PDF-1.7\n'), /a PDF document/],
		[bytes(0x89, 'PNG\r\n'), /a PNG image/],
		[bytes(0xff, 0xd8, 0xff, 0xe0), /a JPEG image/],
		[bytes('<!DOCTYPE html>'), /HTML or XML page/],
		[bytes('{"error":"denied"}'), /JSON text/],
		[bytes('PK\x03\x04'), /ZIP archive/],
		[bytes('hello world, not a video'), /something else/],
		[bytes(0, 0), /something else/],
	])('refuses a file that is not a video (%#)', (head, kind) => {
		let caught: unknown;
		try {
			confirmVideoContent(head, 'video/mp4');
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InputError);
		expect((caught as InputError).message).toMatch(kind);
		expect((caught as InputError).hint).toMatch(/previous node passes the video file/);
	});
});
