/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Writes real test files of any size without holding them in memory, and reports their sha256,
// so an upload's bytes can be checked end to end against what the emulator received.
import { createHash } from 'crypto';
import { createReadStream, createWriteStream } from 'fs';
import { once } from 'events';

export interface GeneratedFile {
	path: string;
	bytes: number;
	sha256: string;
}

const BLOCK_BYTES = 1024 * 1024;

/**
 * Writes `bytes` bytes of deterministic, non-repeating-per-block content to `path`.
 * The content starts with an MP4-like `ftyp` box so sniffers see a video; a `seed` varies the bytes.
 */
export async function writeFileOfSize(
	path: string,
	bytes: number,
	seed = 1,
): Promise<GeneratedFile> {
	if (!Number.isSafeInteger(bytes) || bytes < 0) throw new Error(`invalid size ${bytes}`);
	const hash = createHash('sha256');
	const out = createWriteStream(path);
	const header = Buffer.from('000000186674797069736f6d0000020069736f6d69736f32', 'hex');
	let written = 0;
	let blockIndex = 0;
	while (written < bytes) {
		const size = Math.min(BLOCK_BYTES, bytes - written);
		const block = Buffer.alloc(size);
		// Cheap pseudo-random fill: every block differs, so misordered chunks change the hash.
		let state = (seed * 2654435761 + blockIndex * 40503 + 1) >>> 0;
		for (let offset = 0; offset + 4 <= size; offset += 4) {
			state = (state * 1664525 + 1013904223) >>> 0;
			block.writeUInt32LE(state, offset);
		}
		if (written === 0) header.copy(block, 0, 0, Math.min(header.length, size));
		hash.update(block);
		if (!out.write(block)) await once(out, 'drain');
		written += size;
		blockIndex++;
	}
	out.end();
	await once(out, 'finish');
	return { path, bytes, sha256: hash.digest('hex') };
}

export async function sha256OfFile(path: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}
