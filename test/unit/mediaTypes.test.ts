import { InputError } from '../../nodes/TikTok/shared/inputError';
import { videoContentType } from '../../nodes/TikTok/shared/mediaTypes';

describe('videoContentType', () => {
	it.each([
		['video/mp4', 'clip.bin', 'video/mp4'],
		['VIDEO/MP4; codecs="avc1.42E01E"', undefined, 'video/mp4'],
		['video/x-m4v', undefined, 'video/mp4'],
		['video/quicktime', undefined, 'video/quicktime'],
		[' video/webm ;codecs=vp9', undefined, 'video/webm'],
	])('uses the mime type %p', (mime, name, expected) => {
		expect(videoContentType(mime, name)).toBe(expected);
	});

	it.each([
		{ mime: undefined, name: 'clip.mp4', expected: 'video/mp4' },
		{ mime: '', name: 'CLIP.M4V', expected: 'video/mp4' },
		{ mime: 'application/octet-stream', name: 'holiday.MOV', expected: 'video/quicktime' },
		{ mime: 'binary/octet-stream', name: 'dir/sub.dir/v.webm', expected: 'video/webm' },
		{ mime: 'application/octet-stream', name: undefined, extension: 'mp4', expected: 'video/mp4' },
	])('falls back to the extension for mime $mime, name $name', ({ mime, name, extension, expected }: {
		mime: string | undefined;
		name: string | undefined;
		extension?: string;
		expected: string;
	}) => {
		expect(videoContentType(mime, name, extension)).toBe(expected);
	});

	it.each([
		['video/x-msvideo', 'movie.avi', /"video\/x-msvideo".*"\.avi"/],
		['image/png', 'frame.png', /"image\/png"/],
		[undefined, 'noextension', /no type, no extension/],
		['application/octet-stream', 'archive.mkv', /"\.mkv"/],
		[undefined, '.mp4', /no extension/], // a dot-file, not an extension
	])('rejects mime %p with name %p', (mime, name, message) => {
		let caught: unknown;
		try {
			videoContentType(mime, name);
		} catch (error) {
			caught = error;
		}
		expect(caught).toBeInstanceOf(InputError);
		const error = caught as InputError;
		expect(error.message).toMatch(message);
		expect(error.hint).toContain('video/mp4, video/quicktime, video/webm');
	});
});
