import { parseJsonLossless } from '../../nodes/TikTok/shared/losslessJson';
import { postIdsToStrings, tiktokPostUrl } from '../../nodes/TikTok/shared/postUrls';

describe('postIdsToStrings', () => {
	it('turns lossless-parsed ids and safe numbers into exact strings', () => {
		const parsed = parseJsonLossless('{"ids":[7345678901234567891, 123, "7345678901234567892"]}') as { ids: unknown };
		expect(postIdsToStrings(parsed.ids)).toEqual(['7345678901234567891', '123', '7345678901234567892']);
	});

	it('returns [] for a missing or empty list, and wraps a single id', () => {
		expect(postIdsToStrings(undefined)).toEqual([]);
		expect(postIdsToStrings(null)).toEqual([]);
		expect(postIdsToStrings([])).toEqual([]);
		expect(postIdsToStrings(' 42 ')).toEqual(['42']);
		expect(postIdsToStrings(BigInt('7345678901234567891'))).toEqual(['7345678901234567891']);
	});

	it('refuses a number that already lost precision instead of returning a wrong id', () => {
		expect(() => postIdsToStrings([JSON.parse('7345678901234567891')])).toThrow(/lost precision/);
	});

	it('refuses values that are not ids', () => {
		expect(() => postIdsToStrings(['abc'])).toThrow(TypeError);
		expect(() => postIdsToStrings([1.5])).toThrow(TypeError);
		expect(() => postIdsToStrings([{}])).toThrow(TypeError);
	});
});

describe('tiktokPostUrl', () => {
	it('builds the canonical URL with the creator handle', () => {
		expect(tiktokPostUrl('maker', '7345678901234567891')).toBe('https://www.tiktok.com/@maker/video/7345678901234567891');
		expect(tiktokPostUrl('@maker.tv', '1')).toBe('https://www.tiktok.com/@maker.tv/video/1');
	});

	it('falls back to the handle-less form TikTok redirects from', () => {
		expect(tiktokPostUrl(undefined, '7345678901234567891')).toBe('https://www.tiktok.com/@/video/7345678901234567891');
		expect(tiktokPostUrl('  ', '5')).toBe('https://www.tiktok.com/@/video/5');
	});
});
