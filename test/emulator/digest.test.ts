/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The sampled upload digest (setting uploadDigest: 'sampled', for the benchmark): the same bytes
// give the same digest however they are split into pieces and chunks, and a file's digest can be
// computed from the file alone; a chunk sent twice or shifted changes it.
import { createHash } from 'crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

import { SAMPLE_STRIDE, sampledDigestOfFile, SAMPLED_PREFIX, updateSampled } from './digest';
import { control, directVideoBody, api, issueToken, MiB, putChunk, state, useEmulator, type Json } from './helpers';

function bytes(length: number, seed: number): Buffer {
	const buffer = Buffer.alloc(length);
	for (let i = 0; i < length; i += 4) buffer.writeUInt32LE(((i * 2654435761) ^ seed) >>> 0, Math.min(i, length - 4));
	return buffer;
}

function sampledOf(data: Buffer, pieceSizes: number[]): string {
	const hash = createHash('sha256');
	let offset = 0;
	let size = 0;
	while (offset < data.length) {
		const length = Math.min(pieceSizes[size++ % pieceSizes.length], data.length - offset);
		updateSampled(hash, data.subarray(offset, offset + length), offset);
		offset += length;
	}
	return `${SAMPLED_PREFIX}${hash.digest('hex')}`;
}

describe('sampled upload digest', () => {
	const data = bytes(5 * SAMPLE_STRIDE + 12_345, 7);

	it('does not depend on how the bytes arrive, and matches the file\'s', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'digest-'));
		try {
			writeFileSync(join(dir, 'v.bin'), data);
			const fromFile = await sampledDigestOfFile(join(dir, 'v.bin'));
			for (const pieces of [[data.length], [1], [4095, 4097], [65_536], [SAMPLE_STRIDE - 1, 3]]) {
				expect(sampledOf(data, pieces)).toBe(fromFile);
			}
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	});

	it('changes when a chunk is repeated or shifted', () => {
		const repeated = Buffer.concat([data.subarray(0, 2 * SAMPLE_STRIDE), data.subarray(SAMPLE_STRIDE)]).subarray(0, data.length);
		const shifted = Buffer.concat([Buffer.alloc(1), data]).subarray(0, data.length);
		const original = sampledOf(data, [65_536]);
		expect(sampledOf(repeated, [65_536])).not.toBe(original);
		expect(sampledOf(shifted, [65_536])).not.toBe(original);
	});
});

describe('uploadDigest: sampled in the emulator', () => {
	const emulator = useEmulator();

	it('reports the sampled digest of an upload, marked as such', async () => {
		await control(emulator, 'config', { uploadDigest: 'sampled' });
		const chunk = 5 * MiB;
		const video = bytes(2 * chunk, 3);
		const token = await issueToken(emulator);
		const init = await api(emulator, '/v2/post/publish/video/init/', {
			token,
			body: directVideoBody({}, { video_size: video.length, chunk_size: chunk, total_chunk_count: 2 }),
		});
		const uploadUrl = init.body.data.upload_url as string;
		expect((await putChunk(uploadUrl, video.subarray(0, chunk), { first: 0, total: video.length })).status).toBe(206);
		expect((await putChunk(uploadUrl, video.subarray(chunk), { first: chunk, total: video.length })).status).toBe(201);
		const post = (await state(emulator)).posts.find((p: Json) => p.publish_id === init.body.data.publish_id);
		expect(post.sha256).toBe(sampledOf(video, [chunk]));
		expect(post.sha256.startsWith(SAMPLED_PREFIX)).toBe(true);
	});
});
