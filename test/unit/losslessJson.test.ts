import { parseJsonLossless } from '../../nodes/TikTok/shared/losslessJson';
import { seededRandom } from './helpers/random';

describe('parseJsonLossless', () => {
	it('keeps 19-digit post ids exact, as strings, inside a status response', () => {
		const body =
			'{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[7345678901234567891, 7345678901234567892],' +
			'"uploaded_bytes":10000},"error":{"code":"ok","message":"","log_id":"202406011234"}}';
		expect(parseJsonLossless(body)).toEqual({
			data: {
				status: 'PUBLISH_COMPLETE',
				publicaly_available_post_id: ['7345678901234567891', '7345678901234567892'],
				uploaded_bytes: 10000,
			},
			error: { code: 'ok', message: '', log_id: '202406011234' },
		});
		// The reason this parser exists:
		expect(String((JSON.parse(body) as { data: { publicaly_available_post_id: number[] } }).data.publicaly_available_post_id[0])).not.toBe(
			'7345678901234567891',
		);
	});

	it('returns numbers for safe integers and strings just beyond 2^53', () => {
		expect(parseJsonLossless('9007199254740991')).toBe(9007199254740991);
		expect(parseJsonLossless('9007199254740992')).toBe('9007199254740992');
		expect(parseJsonLossless('-9007199254740991')).toBe(-9007199254740991);
		expect(parseJsonLossless('-9223372036854775808')).toBe('-9223372036854775808');
		expect(parseJsonLossless('123456789012345678901234567890')).toBe('123456789012345678901234567890');
	});

	it('parses floats and exponents like JSON.parse', () => {
		for (const text of ['0', '-0', '3.14', '-0.5', '1e3', '1E+2', '2.5e-3', '1e400', '12345678901234567890.5', '9007199254740993e0']) {
			expect(Object.is(parseJsonLossless(text), JSON.parse(text))).toBe(true);
		}
	});

	it('decodes string escapes and unicode like JSON.parse', () => {
		const text = '"quote \\" backslash \\\\ slash \\/ \\b\\f\\n\\r\\t \\u00e9 \\u65e5 \\ud83d\\udc4d 👨‍👩‍👧 \\ud800"';
		expect(parseJsonLossless(text)).toBe(JSON.parse(text));
	});

	it('matches JSON.parse on ordinary documents', () => {
		const documents = [
			'{}',
			'[]',
			' \n\t{ "a" : [ 1 , 2.5 , true , false , null , "x" ] , "b" : { "c" : { } } } \r\n',
			'{"data":{"creator_nickname":"Mäker 🎬","privacy_level_options":["PUBLIC_TO_EVERYONE","SELF_ONLY"],"max_video_post_duration_sec":300,"stitch_disabled":true},"error":{"code":"ok","message":"","log_id":"x"}}',
			'{"dup":1,"dup":2}',
			'"just a string"',
			'null',
		];
		for (const text of documents) expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
	});

	it('matches JSON.parse on 200 seeded random documents of safe values', () => {
		const random = seededRandom(99);
		const randomValue = (depth: number): unknown => {
			const pick = Math.floor(random() * (depth > 4 ? 5 : 7));
			switch (pick) {
				case 0: return Math.floor((random() - 0.5) * 2 ** 52);
				case 1: return (random() - 0.5) * 10 ** Math.floor(random() * 35 - 20); // below 2^53: bigger integral floats print as integer literals
				case 2: return String.fromCharCode(...Array.from({ length: Math.floor(random() * 12) }, () => Math.floor(random() * 0xffff)));
				case 3: return random() < 0.5;
				case 4: return null;
				case 5: return Array.from({ length: Math.floor(random() * 5) }, () => randomValue(depth + 1));
				default: return Object.fromEntries(Array.from({ length: Math.floor(random() * 5) }, (_, i) => [`k${i}${random()}`, randomValue(depth + 1)]));
			}
		};
		for (let i = 0; i < 200; i++) {
			const text = JSON.stringify(randomValue(0), null, i % 2 === 0 ? 2 : undefined);
			expect(parseJsonLossless(text)).toEqual(JSON.parse(text));
		}
	});

	it('handles deep nesting', () => {
		const depth = 500;
		const text = '['.repeat(depth) + '7345678901234567891' + ']'.repeat(depth);
		let value = parseJsonLossless(text);
		for (let i = 0; i < depth; i++) {
			expect(Array.isArray(value)).toBe(true);
			value = (value as unknown[])[0];
		}
		expect(value).toBe('7345678901234567891');
	});

	it('keeps "__proto__" as an own property, like JSON.parse', () => {
		const parsed = parseJsonLossless('{"__proto__":{"polluted":true},"a":1}') as Record<string, unknown>;
		expect(Object.getPrototypeOf(parsed)).toBe(Object.prototype);
		expect(Object.keys(parsed)).toEqual(['__proto__', 'a']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});

	it.each([
		'',
		'   ',
		'{',
		'[1,]',
		'{"a":1,}',
		'{a:1}',
		"{'a':1}",
		'01',
		'1.',
		'.5',
		'+1',
		'-',
		'1e',
		'NaN',
		'tru',
		'nul',
		'"unterminated',
		'"bad \\x escape"',
		'"bad \\u12 escape"',
		'"raw\ncontrol"',
		'[1] 2',
		'{"a" 1}',
		'[1 2]',
	])('throws SyntaxError on invalid JSON %p, as JSON.parse does', (text) => {
		expect(() => JSON.parse(text)).toThrow(SyntaxError);
		expect(() => parseJsonLossless(text)).toThrow(SyntaxError);
	});
});
