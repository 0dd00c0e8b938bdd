import {
	parseSignatureHeader,
	signPayload,
	verifySignature,
} from '../../nodes/TikTokTrigger/signature';

// Computed with: printf '%s' '1633174587.{"client_key":"ck","event":"post.publish.complete"}' | openssl dgst -sha256 -hmac app-secret
const BODY = Buffer.from('{"client_key":"ck","event":"post.publish.complete"}');
const T = 1633174587;
const S = '5b209d172b25d42e964fdccab9a9b4dbf0a0bcf86aecf1c0bdf12fe38c639af1';

const verify = (
	header: string | undefined,
	overrides: Partial<Parameters<typeof verifySignature>[0]> = {},
) =>
	verifySignature({
		header,
		rawBody: BODY,
		secret: 'app-secret',
		nowSeconds: T + 10,
		toleranceSeconds: 300,
		...overrides,
	});

describe('TikTok webhook signature', () => {
	it('is hex HMAC-SHA256 of "<t>.<raw body>" keyed with the client secret (openssl vector)', () => {
		expect(signPayload('app-secret', T, BODY)).toBe(S);
		expect(verify(`t=${T},s=${S}`)).toEqual({ valid: true, timestamp: T });
	});

	it('accepts upper-case hex, spaces around parts and unknown extra parts', () => {
		expect(verify(`t=${T}, s=${S.toUpperCase()}`).valid).toBe(true);
		expect(verify(` v=2 , t=${T} ,s=${S}`).valid).toBe(true);
	});

	it('uses the raw bytes: the same JSON re-serialized does not verify', () => {
		const reserialized = Buffer.from(JSON.stringify(JSON.parse(BODY.toString()), null, 1));
		expect(verify(`t=${T},s=${S}`, { rawBody: reserialized })).toEqual({
			valid: false,
			reason: 'mismatch',
		});
	});

	it('refuses a missing, malformed or wrong signature', () => {
		expect(verify(undefined)).toEqual({ valid: false, reason: 'missing' });
		expect(verify('')).toEqual({ valid: false, reason: 'missing' });
		for (const header of [`s=${S}`, `t=${T}`, `t=abc,s=${S}`, `t=${T},t=${T},s=${S}`, 'garbage']) {
			expect(verify(header)).toEqual({ valid: false, reason: 'malformed' });
		}
		expect(verify(`t=${T},s=${S.slice(0, 63)}0`)).toEqual({ valid: false, reason: 'mismatch' });
		expect(verify(`t=${T},s=${S.slice(0, 40)}`)).toEqual({ valid: false, reason: 'mismatch' });
		expect(verify(`t=${T},s=zz${S.slice(2)}`)).toEqual({ valid: false, reason: 'mismatch' });
		// Another timestamp changes the signed payload.
		expect(verify(`t=${T + 1},s=${S}`)).toEqual({ valid: false, reason: 'mismatch' });
		expect(verify(`t=${T},s=${S}`, { secret: 'other-secret' })).toEqual({
			valid: false,
			reason: 'mismatch',
		});
		expect(verify(`t=${T},s=${S}`, { secret: '' })).toEqual({ valid: false, reason: 'noSecret' });
	});

	it('refuses timestamps outside the tolerance, in either direction', () => {
		expect(verify(`t=${T},s=${S}`, { nowSeconds: T + 300 }).valid).toBe(true);
		expect(verify(`t=${T},s=${S}`, { nowSeconds: T + 301 })).toEqual({
			valid: false,
			reason: 'stale',
		});
		expect(verify(`t=${T},s=${S}`, { nowSeconds: T - 300 }).valid).toBe(true);
		expect(verify(`t=${T},s=${S}`, { nowSeconds: T - 301 })).toEqual({
			valid: false,
			reason: 'future',
		});
		expect(verify(`t=${T},s=${S}`, { nowSeconds: T + 700, toleranceSeconds: 600 })).toEqual({
			valid: false,
			reason: 'stale',
		});
	});

	it('accepts the header when any of several s values matches', () => {
		expect(verify(`t=${T},s=${'0'.repeat(64)},s=${S}`).valid).toBe(true);
	});

	it('parses the header into a timestamp and the candidate signatures', () => {
		expect(parseSignatureHeader(`t=${T},s=${S}`)).toEqual({ timestamp: T, signatures: [S] });
		expect(parseSignatureHeader(['a', 'b'])).toBeUndefined();
		expect(parseSignatureHeader(undefined)).toBeUndefined();
	});
});
