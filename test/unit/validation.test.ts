import { InputError } from '../../nodes/TikTok/shared/inputError';
import {
	assertBrandedContentRules,
	assertCoverIndex,
	assertInteractionsAllowed,
	assertMediaUrl,
	assertPrivacyAllowedForCreator,
	assertPrivacyLevel,
	assertTextWithinLimit,
	assertVideoDuration,
	assertVideoSize,
	MAX_PHOTOS,
	normalizePhotoUrls,
	PHOTO_DESCRIPTION_MAX,
	PHOTO_TITLE_MAX,
	PRIVACY_LEVELS,
	VIDEO_TITLE_MAX,
	type CreatorInfo,
} from '../../nodes/TikTok/shared/validation';

function inputErrorFrom(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error('expected an InputError');
}

const publicCreator: CreatorInfo = {
	creator_username: 'maker',
	creator_nickname: 'Maker',
	privacy_level_options: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
	comment_disabled: false,
	duet_disabled: false,
	stitch_disabled: true,
	max_video_post_duration_sec: 300,
};

describe('limits', () => {
	it("match TikTok's documented values", () => {
		expect(VIDEO_TITLE_MAX).toBe(2200);
		expect(PHOTO_TITLE_MAX).toBe(90);
		expect(PHOTO_DESCRIPTION_MAX).toBe(4000);
		expect(MAX_PHOTOS).toBe(35);
		expect([...PRIVACY_LEVELS].sort()).toEqual(
			['FOLLOWER_OF_CREATOR', 'MUTUAL_FOLLOW_FRIENDS', 'PUBLIC_TO_EVERYONE', 'SELF_ONLY'],
		);
	});
});

describe('assertTextWithinLimit', () => {
	it('accepts text up to the limit', () => {
		expect(() => assertTextWithinLimit('a'.repeat(90), 90, 'Title')).not.toThrow();
		expect(() => assertTextWithinLimit('', 90, 'Title')).not.toThrow();
	});

	it('counts emoji as UTF-16 code units, as TikTok does', () => {
		// 45 thumbs-up emoji look like 45 characters but are 90 UTF-16 units: allowed exactly.
		expect(() => assertTextWithinLimit('👍'.repeat(45), 90, 'Title')).not.toThrow();
		const error = inputErrorFrom(() => assertTextWithinLimit('👍'.repeat(45) + 'a', 90, 'Title'));
		expect(error.message).toBe('Title is 91 characters long, but TikTok allows at most 90');
		expect(error.hint).toMatch(/Shorten the title by at least 1 character/);
		expect(error.hint).toMatch(/emoji/);
	});
});

describe('assertPrivacyLevel', () => {
	it.each([undefined, null, '', '   '])('requires a value (%p)', (value) => {
		const error = inputErrorFrom(() => assertPrivacyLevel(value));
		expect(error.message).toMatch(/^Privacy level is required/);
		expect(error.hint).toMatch(/no default/);
	});

	it('accepts every documented level, trimmed and in any case', () => {
		for (const level of PRIVACY_LEVELS) expect(assertPrivacyLevel(level)).toBe(level);
		expect(assertPrivacyLevel('  self_only ')).toBe('SELF_ONLY');
	});

	it('lists the valid values for an unknown one', () => {
		const error = inputErrorFrom(() => assertPrivacyLevel('EVERYONE'));
		expect(error.message).toContain('"EVERYONE"');
		for (const level of PRIVACY_LEVELS) expect(error.hint).toContain(level);
		expect(() => assertPrivacyLevel(42)).toThrow(InputError);
	});
});

describe('assertPrivacyAllowedForCreator', () => {
	it('accepts an offered option', () => {
		expect(() => assertPrivacyAllowedForCreator('SELF_ONLY', publicCreator)).not.toThrow();
	});

	it("rejects one the creator lacks, listing the creator's options and the unaudited-app rule", () => {
		const error = inputErrorFrom(() => assertPrivacyAllowedForCreator('FOLLOWER_OF_CREATOR', publicCreator));
		expect(error.message).toContain('FOLLOWER_OF_CREATOR');
		expect(error.message).toContain('@maker');
		expect(error.hint).toContain('PUBLIC_TO_EVERYONE (Everyone)');
		expect(error.hint).toContain('MUTUAL_FOLLOW_FRIENDS');
		expect(error.hint).toMatch(/audit.*SELF_ONLY/s);
	});

	it('copes with a creator that lists no options', () => {
		const error = inputErrorFrom(() =>
			assertPrivacyAllowedForCreator('SELF_ONLY', { privacy_level_options: [] }),
		);
		expect(error.hint).toMatch(/listed no privacy options/);
	});
});

describe('assertBrandedContentRules', () => {
	it('rejects branded content that only the creator can see', () => {
		const error = inputErrorFrom(() =>
			assertBrandedContentRules({ brandedContent: true, yourBrand: false, privacy: 'SELF_ONLY' }),
		);
		expect(error.message).toBe('Branded content visibility cannot be set to private ("Only me")');
		expect(error.hint).toMatch(/turn off "Branded content"/);
	});

	it('allows branded content to be public or for friends, and "Your brand" to be private', () => {
		expect(() => assertBrandedContentRules({ brandedContent: true, yourBrand: true, privacy: 'PUBLIC_TO_EVERYONE' })).not.toThrow();
		expect(() => assertBrandedContentRules({ brandedContent: true, yourBrand: false, privacy: 'MUTUAL_FOLLOW_FRIENDS' })).not.toThrow();
		expect(() => assertBrandedContentRules({ brandedContent: false, yourBrand: true, privacy: 'SELF_ONLY' })).not.toThrow();
		expect(() => assertBrandedContentRules({ brandedContent: true, yourBrand: false })).not.toThrow();
	});

	it('requires a choice when commercial content is switched on', () => {
		const error = inputErrorFrom(() =>
			assertBrandedContentRules({ commercialContent: true, brandedContent: false, yourBrand: false }),
		);
		expect(error.hint).toMatch(/promotes yourself.*a third party/);
		expect(() => assertBrandedContentRules({ commercialContent: false, brandedContent: false, yourBrand: false })).not.toThrow();
	});
});

describe('assertInteractionsAllowed', () => {
	it('allows what the creator allows, and anything switched off', () => {
		expect(() => assertInteractionsAllowed({ allowComments: true, allowDuet: true }, publicCreator)).not.toThrow();
		expect(() => assertInteractionsAllowed({ allowStitch: false }, publicCreator)).not.toThrow();
	});

	it('names every setting the creator turned off', () => {
		const creator = { ...publicCreator, comment_disabled: true };
		const error = inputErrorFrom(() =>
			assertInteractionsAllowed({ allowComments: true, allowDuet: true, allowStitch: true }, creator),
		);
		expect(error.message).toBe('The TikTok account has turned off comments and stitches, so the post cannot allow them');
		expect(error.hint).toContain('"Allow Comments"');
		expect(error.hint).toContain('"Allow Stitch"');
		expect(error.hint).toMatch(/TikTok app/);
	});
});

describe('assertMediaUrl', () => {
	it('returns the trimmed URL', () => {
		expect(assertMediaUrl('  https://media.example.com/v/1.mp4 \n', 'Video URL')).toBe('https://media.example.com/v/1.mp4');
		expect(assertMediaUrl('https://cdn.example.co.uk:8443/a.mp4?x=1', 'Video URL')).toBe('https://cdn.example.co.uk:8443/a.mp4?x=1');
	});

	it.each([
		['', /is empty/],
		['media.example.com/v.mp4', /not a valid absolute URL/],
		['/relative/path.mp4', /not a valid absolute URL/],
		['ftp://media.example.com/v.mp4', /uses "ftp"/],
		['file:///etc/passwd', /uses "file"/],
		['data:video/mp4;base64,AAAA', /uses "data"/],
		['https://user:pw@media.example.com/v.mp4', /user name or password/],
		// TikTok pulls only https from a domain name (reference §11).
		['http://media.example.com/v.mp4', /uses "http", but TikTok only downloads https/],
		['https://203.0.113.7/v.mp4', /IP address 203\.0\.113\.7/],
		['https://[2001:db8::1]/v.mp4', /IP address/],
	])('rejects %p', (url, message) => {
		const error = inputErrorFrom(() => assertMediaUrl(url, 'Video URL'));
		expect(error.message).toMatch(/^Video URL/);
		expect(error.message).toMatch(message);
		expect(error.hint.length).toBeGreaterThan(20);
	});

	it('refuses a value that is not text instead of turning it into "[object Object]"', () => {
		expect(inputErrorFrom(() => assertMediaUrl({ url: 'https://a.example/v.mp4' }, 'Video URL')).message).toMatch(
			/must be text, but the value is an object/,
		);
		expect(inputErrorFrom(() => assertMediaUrl(42, 'Video URL')).message).toMatch(/must be text/);
	});

	it('mentions verification in its hint', () => {
		expect(inputErrorFrom(() => assertMediaUrl('nope', 'Video URL')).hint).toMatch(/verified for your app/);
	});

	it('does not echo a password back', () => {
		const error = inputErrorFrom(() => assertMediaUrl('https://user:hunter2@x.example/a.jpg', 'Photo URL 1'));
		expect(`${error.message} ${error.hint}`).not.toContain('hunter2');
	});
});

describe('normalizePhotoUrls', () => {
	const a = 'https://img.example.com/a.jpg';
	const b = 'https://img.example.com/b.webp';

	it('accepts an array from an expression', () => {
		expect(normalizePhotoUrls([a, ` ${b} `])).toEqual([a, b]);
	});

	it('accepts a JSON array string', () => {
		expect(normalizePhotoUrls(JSON.stringify([a, b]))).toEqual([a, b]);
	});

	it('accepts newline- or comma-separated text and skips blank entries', () => {
		expect(normalizePhotoUrls(`${a}\r\n\n${b}\n`)).toEqual([a, b]);
		expect(normalizePhotoUrls(`${a}, ${b},`)).toEqual([a, b]);
	});

	it('keeps commas that belong to a URL', () => {
		const cdn = 'https://res.example.com/image/upload/w_1080,h_1080,c_fill/p.jpg';
		expect(normalizePhotoUrls(`${cdn},${a}`)).toEqual([cdn, a]);
	});

	it('accepts objects with a url property', () => {
		expect(normalizePhotoUrls([{ url: a }, { url: b }])).toEqual([a, b]);
	});

	it.each([[[]], [''], [undefined], ['  \n ']])('requires at least one URL (%p)', (input) => {
		expect(inputErrorFrom(() => normalizePhotoUrls(input)).message).toBe('At least one photo URL is required');
	});

	it('accepts 35 URLs and rejects 36', () => {
		const urls = Array.from({ length: 36 }, (_, i) => `https://img.example.com/${i}.jpg`);
		expect(normalizePhotoUrls(urls.slice(0, 35))).toHaveLength(35);
		const error = inputErrorFrom(() => normalizePhotoUrls(urls));
		expect(error.message).toMatch(/36 photo URLs.*at most 35/);
		expect(error.hint).toMatch(/Remove 1/);
	});

	it('names the position of a bad URL', () => {
		const error = inputErrorFrom(() => normalizePhotoUrls([a, 'ftp://x.example/b.jpg']));
		expect(error.message).toMatch(/^Photo URL 2 /);
	});

	it('rejects broken JSON and non-URL values', () => {
		expect(inputErrorFrom(() => normalizePhotoUrls('[ "https://a.example/x.jpg", ')).message).toMatch(/not valid JSON/);
		expect(inputErrorFrom(() => normalizePhotoUrls([a, 42])).message).toMatch(/42/);
	});
});

describe('assertCoverIndex', () => {
	it('accepts 0..count-1, also as a numeric string', () => {
		expect(assertCoverIndex(0, 3)).toBe(0);
		expect(assertCoverIndex(2, 3)).toBe(2);
		expect(assertCoverIndex(' 1 ', 3)).toBe(1);
	});

	it('defaults an empty value to the first photo', () => {
		expect(assertCoverIndex(undefined, 3)).toBe(0);
		expect(assertCoverIndex('', 3)).toBe(0);
	});

	it.each([3, -1, 1.5, 'first', Number.NaN])('rejects %p for 3 photos', (index) => {
		const error = inputErrorFrom(() => assertCoverIndex(index, 3));
		expect(error.message).toMatch(/3 photos/);
		expect(error.hint).toMatch(/from 0 \(first photo\) to 2 \(last photo\)/);
	});
});

describe('assertVideoDuration', () => {
	it('passes when the duration or the limit is unknown, or within the limit', () => {
		expect(() => assertVideoDuration(undefined, publicCreator)).not.toThrow();
		expect(() => assertVideoDuration(9_999, { privacy_level_options: [] })).not.toThrow();
		expect(() => assertVideoDuration(300, publicCreator)).not.toThrow();
	});

	it('rejects a video longer than the creator may post', () => {
		const error = inputErrorFrom(() => assertVideoDuration(301.5, publicCreator));
		expect(error.message).toBe('The video is 5 min 1.5 s long, but @maker can post videos of at most 5 min 0 s');
		expect(error.hint).toMatch(/Trim the video to 300 seconds/);
	});
});

describe('assertVideoSize', () => {
	it('accepts 1 byte to 4 GiB', () => {
		expect(() => assertVideoSize(1)).not.toThrow();
		expect(() => assertVideoSize(4 * 1024 ** 3)).not.toThrow();
	});

	it('rejects an empty file, more than 4 GB, and nonsense', () => {
		expect(inputErrorFrom(() => assertVideoSize(0)).message).toMatch(/empty/);
		expect(inputErrorFrom(() => assertVideoSize(4 * 1024 ** 3 + 1)).message).toMatch(/4 GB/);
		expect(inputErrorFrom(() => assertVideoSize(-5)).message).toMatch(/whole number of bytes/);
	});
});
