import { createHmac, timingSafeEqual } from 'crypto';

/**
 * TikTok signs every webhook delivery: header `TikTok-Signature: t=<unix seconds>,s=<hex>`, where
 * s = hex HMAC-SHA256(key = the app's client secret, message = `${t}.${raw request body}`).
 * Verified on the raw bytes: a body re-serialized after JSON parsing would not match.
 */
export interface SignatureHeader {
	timestamp: number;
	signatures: string[];
}

export type SignatureVerdict =
	| { valid: true; timestamp: number }
	| { valid: false; reason: SignatureProblem };

export type SignatureProblem = 'missing' | 'malformed' | 'mismatch' | 'stale' | 'future' | 'noSecret';

export const SIGNATURE_PROBLEMS: Record<SignatureProblem, string> = {
	missing: 'The request has no TikTok-Signature header',
	malformed: 'The TikTok-Signature header is not of the form t=<unix seconds>,s=<hex>',
	mismatch: "The signature does not match the body signed with the credential's Client Secret",
	stale: 'The signature timestamp is older than the tolerance (a replayed or long-delayed delivery)',
	future: 'The signature timestamp is further in the future than the tolerance',
	noSecret: 'The credential has no Client Secret to verify TikTok signatures with',
};

const HEX_SHA256 = /^[0-9a-f]{64}$/i;
const UNIX_SECONDS = /^\d{1,12}$/;

/** Undefined unless the header has exactly one `t` and at least one `s` (extra keys are ignored). */
export function parseSignatureHeader(value: string | string[] | undefined): SignatureHeader | undefined {
	if (value === undefined || Array.isArray(value)) return undefined;
	const timestamps: string[] = [];
	const signatures: string[] = [];
	for (const part of value.split(',')) {
		const separator = part.indexOf('=');
		if (separator < 0) continue;
		const key = part.slice(0, separator).trim();
		const entry = part.slice(separator + 1).trim();
		if (key === 't') timestamps.push(entry);
		if (key === 's') signatures.push(entry);
	}
	if (timestamps.length !== 1 || !UNIX_SECONDS.test(timestamps[0])) return undefined;
	if (signatures.length === 0) return undefined;
	return { timestamp: Number(timestamps[0]), signatures };
}

export function signPayload(secret: string, timestamp: number, rawBody: Buffer): string {
	return createHmac('sha256', secret).update(`${timestamp}.`).update(rawBody).digest('hex');
}

/** Constant-time comparison of two hex digests; anything not a SHA-256 hex digest never matches. */
function sameDigest(expectedHex: string, candidate: string): boolean {
	if (!HEX_SHA256.test(candidate)) return false;
	const expected = Buffer.from(expectedHex, 'hex');
	const given = Buffer.from(candidate, 'hex');
	return expected.length === given.length && timingSafeEqual(expected, given);
}

export function verifySignature(input: {
	header: string | string[] | undefined;
	rawBody: Buffer;
	secret: string;
	nowSeconds: number;
	toleranceSeconds: number;
}): SignatureVerdict {
	if (!input.secret) return { valid: false, reason: 'noSecret' };
	if (input.header === undefined || input.header === '') return { valid: false, reason: 'missing' };
	const parsed = parseSignatureHeader(input.header);
	if (!parsed) return { valid: false, reason: 'malformed' };
	const expected = signPayload(input.secret, parsed.timestamp, input.rawBody);
	// Every candidate is compared, so the time taken does not tell which one was close.
	let matched = false;
	for (const candidate of parsed.signatures) matched = sameDigest(expected, candidate) || matched;
	if (!matched) return { valid: false, reason: 'mismatch' };
	// Only a genuine signature gets this far, so the clock check cannot be probed without the secret.
	const age = input.nowSeconds - parsed.timestamp;
	if (age > input.toleranceSeconds) return { valid: false, reason: 'stale' };
	if (-age > input.toleranceSeconds) return { valid: false, reason: 'future' };
	return { valid: true, timestamp: parsed.timestamp };
}
