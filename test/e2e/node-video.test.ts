// Post Video inside a real n8n against the emulator: files read by n8n's own Read/Write Files
// node, streamed in chunks, checked byte for byte (sha256) at the emulator.
import { join } from 'path';
import { N8N_START_TIMEOUT_MS } from './harness';
import { writeFileOfSize } from './files';
import { startNodeStack, type NodeStack } from './node-stack';

const MiB = 1024 * 1024;

describe('Post Video (real n8n, emulator)', () => {
	let stack: NodeStack;

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-video' });
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
	});

	beforeEach(async () => {
		await stack.reset();
	});

	const file = async (name: string, bytes: number, seed = 1) =>
		await writeFileOfSize(join(stack.n8n.filesDir, name), bytes, seed);

	it('returns the creator info TikTok reports', async () => {
		const { status, items } = await stack.run('node-creator-info');
		expect(status).toBe(200);
		expect(items).toHaveLength(1);
		expect(items[0]).toMatchObject({
			creator_nickname: 'Emulator Creator',
			creator_username: 'emulator.creator',
			privacy_level_options: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
			max_video_post_duration_sec: 300,
		});
	}, 60_000);

	it('streams a 150 MB file in chunks and publishes it (direct post, wait for completion)', async () => {
		const video = await file('big.mp4', 150 * MiB, 7);
		const { status, items } = await stack.run('node-video-file-directPost', {
			files: [{ file: video.path }],
			privacy: 'PUBLIC_TO_EVERYONE',
			title: 'Launch day 🚀 #n8n',
			wait: true,
		});
		expect(status).toBe(200);
		expect(items).toHaveLength(1);
		const [out] = items;
		expect(out.error).toBeUndefined();
		expect(out).toMatchObject({
			post_mode: 'DIRECT_POST',
			source: 'FILE_UPLOAD',
			status: 'PUBLISH_COMPLETE',
			video_size: video.bytes,
			chunk_size: 10 * MiB,
			total_chunk_count: 15,
		});
		expect(out.post_ids[0]).toMatch(/^\d{19}$/);
		expect(out.post_urls[0]).toBe(`https://www.tiktok.com/@emulator.creator/video/${out.post_ids[0]}`);

		const { posts } = await stack.state();
		const post = posts.find((p: { publishId?: string; publish_id?: string }) => (p.publish_id ?? p.publishId) === out.publish_id);
		expect(post).toBeDefined();
		expect(JSON.stringify(post)).toContain(video.sha256);
	}, 300_000);
});
