// Identifier formats modelled on TikTok's examples (reference §4.3, §5, §6, §2, §15.2).
import { randomBytes, randomInt } from 'crypto';

export function randomHex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

export function randomDigits(count: number): string {
	let digits = '';
	for (let i = 0; i < count; i++) digits += String(randomInt(10));
	return digits;
}

/** log_id like TikTok's: UTC timestamp yyyyMMddHHmmss followed by hex. */
export function newLogId(nowMs: number): string {
	const stamp = new Date(nowMs)
		.toISOString()
		.replace(/[-:TZ.]/g, '')
		.slice(0, 14);
	return `${stamp}${randomHex(10).toUpperCase()}`;
}

/**
 * A 19-digit post id above 2^53. It is odd, so a float cannot hold it exactly: a client that
 * parses it with plain JSON.parse visibly loses precision.
 */
export function newPostId(): bigint {
	const lastDigit = [1, 3, 5, 7, 9][randomInt(5)];
	return BigInt(`7${randomDigits(17)}${lastDigit}`);
}

/** Access/refresh tokens and codes carry characters that need URL encoding, as TikTok's do. */
export function newAccessToken(): string {
	return `act.${randomHex(24)}!${randomDigits(4)}.va`;
}

export function newRefreshToken(): string {
	return `rft.${randomHex(24)}!${randomDigits(4)}.va`;
}

export function newClientToken(): string {
	return `clt.${randomHex(24)}!${randomDigits(4)}.va`;
}

export function newAuthorizationCode(): string {
	return `${randomHex(20)}*0!${randomDigits(4)}.va`;
}
