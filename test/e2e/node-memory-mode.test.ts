/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The same upload with n8n keeping binary data in memory (N8N_DEFAULT_BINARY_DATA_MODE=default):
// the node then slices the buffer n8n already holds instead of streaming from storage.
import { existsSync, readdirSync, statSync } from 'fs';
import { join } from 'path';
import { N8N_START_TIMEOUT_MS } from './harness';
import { writeFileOfSize } from './files';
import { startNodeStack, type NodeStack } from './node-stack';

const MiB = 1024 * 1024;

describe('Post Video with in-memory binary data (real n8n, emulator)', () => {
	let stack: NodeStack;

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-memory-mode', binaryDataMode: 'default' });
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
	});

	it('uploads a multi-chunk file held in memory, byte for byte', async () => {
		await stack.reset();
		const video = await writeFileOfSize(join(stack.n8n.filesDir, 'memory.mp4'), 70 * MiB + 123, 31);
		const mark = await stack.mark();
		const { items } = await stack.run('node-video-file-directPost', {
			files: [{ file: video.path }],
			privacy: 'SELF_ONLY',
			wait: true,
		});
		expect(items[0]).toMatchObject({ status: 'PUBLISH_COMPLETE', total_chunk_count: 7, video_size: video.bytes });
		const { posts } = await stack.since(mark);
		expect(posts).toHaveLength(1);
		expect(posts[0].sha256).toBe(video.sha256);
		// Proof that this instance kept the file in memory: nothing went to n8n's binary storage.
		expect(filesUnder(join(stack.n8n.n8nFolder, 'storage'))).toEqual([]);
	}, 180_000);
});

function filesUnder(dir: string): string[] {
	if (!existsSync(dir)) return [];
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? filesUnder(path) : [path];
	});
}
