/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// What the emulator hashes of an upload. By default every byte (sha256), which proves an upload
// byte-exact but costs the emulator a core at a few hundred MB/s; the benchmark needs a receiver
// that is not the bottleneck, so setting `uploadDigest: 'sampled'` hashes only 4 KiB at the start
// of every MiB (0.4 % of the bytes): positions and sizes are still checked exactly, and a sampled
// digest still catches a chunk sent twice, out of order or shifted.
import { createHash, type Hash } from 'crypto';
import { open } from 'fs/promises';

export const SAMPLE_STRIDE = 1024 * 1024;
export const SAMPLE_BYTES = 4096;
/** Marks a sampled digest, so it is never mistaken for a full sha256. */
export const SAMPLED_PREFIX = 'sampled:';

/** Feeds `hash` the parts of `part`, which starts at byte `offset` of the upload, that lie in a sample window. */
export function updateSampled(hash: Hash, part: Buffer, offset: number): void {
	const end = offset + part.length;
	let position = offset;
	while (position < end) {
		const windowStart = Math.floor(position / SAMPLE_STRIDE) * SAMPLE_STRIDE;
		const windowEnd = windowStart + SAMPLE_BYTES;
		if (position < windowEnd) {
			const take = Math.min(windowEnd, end) - position;
			hash.update(part.subarray(position - offset, position - offset + take));
			position += take;
		} else {
			position = windowStart + SAMPLE_STRIDE;
		}
	}
}

/** The sampled digest of a file, reading only its sample windows (for comparing with an upload's). */
export async function sampledDigestOfFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	const file = await open(path, 'r');
	try {
		const { size } = await file.stat();
		const window = Buffer.alloc(SAMPLE_BYTES);
		for (let start = 0; start < size; start += SAMPLE_STRIDE) {
			const { bytesRead } = await file.read(window, 0, Math.min(SAMPLE_BYTES, size - start), start);
			hash.update(window.subarray(0, bytesRead));
		}
	} finally {
		await file.close();
	}
	return `${SAMPLED_PREFIX}${hash.digest('hex')}`;
}
