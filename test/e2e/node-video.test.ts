/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Post Video inside a real n8n against the emulator: files read by n8n's own Read/Write Files
// node, streamed in chunks, checked byte for byte (sha256) at the emulator.
import { join } from 'path';
import { N8N_START_TIMEOUT_MS } from './harness';
import { writeFileOfSize } from './files';
import { startNodeStack, type Json, type NodeStack } from './node-stack';

const MiB = 1024 * 1024;

describe('Post Video (real n8n, emulator)', () => {
	let stack: NodeStack;

	beforeAll(async () => {
		// Filesystem binary storage on every n8n version: n8n 2.x's default and where big videos
		// belong. n8n 1.x defaults to memory, where fetching an execution that holds 96 MiB of
		// videos outlasts the REST client's 2 minutes; memory mode has its own suite
		// (node-memory-mode.test.ts).
		stack = await startNodeStack({ name: 'node-video', binaryDataMode: 'filesystem' });
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

	it('uploads a small file as one chunk with chunk_size equal to its size', async () => {
		const video = await file('small.mov', 3 * MiB + 17, 2);
		const mark = await stack.mark();
		const { items } = await stack.run('node-video-file-directPost', { files: [{ file: video.path }], privacy: 'SELF_ONLY' });
		expect(items[0]).toMatchObject({ video_size: video.bytes, chunk_size: video.bytes, total_chunk_count: 1 });
		const { posts, requests } = await stack.since(mark);
		expect(posts).toHaveLength(1);
		expect(posts[0].sha256).toBe(video.sha256);
		const put = requests.find((r: Json) => r.method === 'PUT');
		expect(put.headers['content-type']).toBe('video/quicktime');
		expect(put.headers.authorization).toBeUndefined();
	}, 120_000);

	it('honours the chunk size option (5 MiB chunks, remainder in the last)', async () => {
		const video = await file('five.webm', 33 * MiB + 5, 4);
		const mark = await stack.mark();
		const { items } = await stack.run('node-video-file-directPost', {
			files: [{ file: video.path }],
			privacy: 'SELF_ONLY',
			chunkSizeMb: 5,
		});
		// 33 MiB + 5 ≤ 64,000,000 bytes: one piece whatever the option says
		expect(items[0]).toMatchObject({ total_chunk_count: 1, chunk_size: video.bytes });
		const big = await file('five-big.webm', 70 * MiB + 5, 5);
		const second = await stack.run('node-video-file-directPost', {
			files: [{ file: big.path }],
			privacy: 'SELF_ONLY',
			chunkSizeMb: 5,
		});
		expect(second.items[0]).toMatchObject({ chunk_size: 5 * MiB, total_chunk_count: 14 });
		const { posts } = await stack.since(mark);
		expect(posts.map((p: Json) => p.sha256)).toEqual([video.sha256, big.sha256]);
	}, 180_000);

	it('uploads a draft to the creator\'s inbox without post settings', async () => {
		const video = await file('draft.mp4', 12 * MiB, 9);
		const mark = await stack.mark();
		const { items } = await stack.run('node-video-file-draft', { files: [{ file: video.path }], wait: true });
		expect(items[0]).toMatchObject({ post_mode: 'DRAFT', status: 'SEND_TO_USER_INBOX', source: 'FILE_UPLOAD' });
		const { posts, requests } = await stack.since(mark);
		expect(posts).toHaveLength(1);
		expect(posts[0]).toMatchObject({ endpoint: '/v2/post/publish/inbox/video/init/', sha256: video.sha256 });
		expect(posts[0].post_info ?? null).toBeNull();
		// Drafts need only video.upload: the node must not ask for creator info (video.publish).
		expect(requests.filter((r: Json) => r.path.includes('creator_info'))).toEqual([]);
	}, 120_000);

	it('posts from a URL that TikTok pulls (direct and draft)', async () => {
		const url = stack.emulator.mediaUrl(`video-3000000.mp4`);
		const direct = await stack.run('node-video-url-directPost', { url, privacy: 'MUTUAL_FOLLOW_FRIENDS', wait: true });
		expect(direct.items[0]).toMatchObject({ source: 'PULL_FROM_URL', status: 'PUBLISH_COMPLETE', post_ids: [] });
		const draft = await stack.run('node-video-url-draft', { url, wait: true });
		expect(draft.items[0]).toMatchObject({ source: 'PULL_FROM_URL', status: 'SEND_TO_USER_INBOX' });
	}, 120_000);

	it('posts a batch of items one after another, each with its own bytes', async () => {
		const videos = [
			await file('batch-1.mp4', 6 * MiB, 11),
			await file('batch-2.mp4', 20 * MiB, 12),
			await file('batch-3.mp4', 70 * MiB, 13),
		];
		const mark = await stack.mark();
		const { items } = await stack.run('node-video-file-directPost', {
			files: videos.map((v) => ({ file: v.path })),
			privacy: 'SELF_ONLY',
		});
		expect(items).toHaveLength(3);
		const { posts } = await stack.since(mark);
		expect(posts.map((p: Json) => p.publish_id)).toEqual(items.map((i: Json) => i.publish_id));
		expect(posts.map((p: Json) => p.sha256)).toEqual(videos.map((v) => v.sha256));
		const execution = await stack.n8n.lastExecution();
		const runData = (execution.data as Json).resultData.runData.TikTok[0].data.main[0];
		expect(runData.map((item: Json) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	}, 180_000);

	it('turns a failed publish into an error with TikTok\'s reason when waiting', async () => {
		await stack.reset({ nextFailReasons: ['frame_rate_check_failed'] });
		const video = await file('fails.mp4', 4 * MiB, 21);
		const { items } = await stack.run('node-video-file-directPost', {
			files: [{ file: video.path }],
			privacy: 'SELF_ONLY',
			wait: true,
		});
		expect(items[0]).toMatchObject({ code: 'frame_rate_check_failed' });
		expect(items[0].error).toMatch(/frame rate/i);
		expect(items[0].publish_id).toMatch(/^v_pub_file/);
	}, 120_000);

	it('stops the workflow with the mapped error when Continue On Fail is off', async () => {
		const video = await file('strict.mp4', 4 * MiB, 22);
		const { status } = await stack.run('node-video-file-directPost-strict', {
			files: [{ file: video.path }],
			privacy: 'FOLLOWER_OF_CREATOR',
		});
		expect(status).toBeGreaterThanOrEqual(500);
		const execution = await stack.n8n.lastExecution();
		expect(execution.status).toBe('error');
		expect(JSON.stringify(execution.error)).toMatch(/FOLLOWER_OF_CREATOR/);
	}, 120_000);
});
