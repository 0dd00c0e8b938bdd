import { utf16Length } from '../../nodes/TikTok/shared/utf16';

/** An oracle independent of String.length: bytes in UTF-16LE, two per code unit. */
const byUtf16Bytes = (text: string) => Buffer.byteLength(text, 'utf16le') / 2;

describe('utf16Length', () => {
	it.each([
		['plain ASCII', 'hello #fyp @friend', 18],
		['empty', '', 0],
		['CJK (one unit per character)', '日本語のキャプション', 10],
		['Korean', '안녕하세요', 5],
		['an emoji outside the BMP (a surrogate pair)', '👍', 2],
		['an emoji with a skin tone modifier', '👍🏽', 4],
		['a ZWJ family sequence (3 emoji + 2 joiners)', '👨‍👩‍👧', 8],
		['a flag (two regional indicators)', '🇯🇵', 4],
		['a keycap sequence', '1️⃣', 3],
		['e + combining acute accent', 'e\u0301', 2],
		['precomposed é', 'é', 1],
		['a rare CJK ideograph outside the BMP', '𠀀', 2],
		['a mathematical letter outside the BMP', '𝒜', 2],
		['newlines count', 'a\nb\r\nc', 6],
	])('counts %s', (_label, text, expected) => {
		expect(utf16Length(text)).toBe(expected);
		expect(byUtf16Bytes(text)).toBe(expected);
	});

	it('counts more than the number of visible characters for emoji captions', () => {
		const caption = 'Sunset 🌅 with the family 👨‍👩‍👧 #travel 🇯🇵';
		expect(utf16Length(caption)).toBe(byUtf16Bytes(caption));
		expect(utf16Length(caption)).toBeGreaterThan([...caption].length);
	});
});
