// Retries without duplicates: chunk PUTs that fail transiently are resent, lost answers are
// recognised from TikTok's progress header, and an init whose outcome is unknown is reported,
// never repeated. The emulator's post and request logs prove how many posts were created.
import { join } from 'path';
import { N8N_START_TIMEOUT_MS } from './harness';
import { writeFileOfSize, type GeneratedFile } from './files';
import { startNodeStack, type Json, type NodeStack } from './node-stack';

const MiB = 1024 * 1024;
const DIRECT_INIT = '/v2/post/publish/video/init/';

describe('Upload faults and retries (real n8n, emulator)', () => {
	let stack: NodeStack;
	let video: GeneratedFile;

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-faults' });
		video = await writeFileOfSize(join(stack.n8n.filesDir, 'faults.mp4'), 75 * MiB, 3); // 7 chunks of 10 MiB + remainder
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
	});

	beforeEach(async () => {
		await stack.reset();
	});

	const post = async () =>
		await stack.run('node-video-file-directPost', { files: [{ file: video.path }], privacy: 'SELF_ONLY' });

	async function expectOnePostWithAllBytes(mark: Json, item: Json): Promise<Json> {
		expect(item.error).toBeUndefined();
		const after = await stack.since(mark);
		expect(after.posts).toHaveLength(1);
		expect(after.requests.filter((r: Json) => r.path === DIRECT_INIT)).toHaveLength(1);
		expect(after.posts[0].publish_id).toBe(item.publish_id);
		expect(after.posts[0].sha256).toBe(video.sha256);
		return after;
	}

	it('resends a chunk after a 5xx from the upload host', async () => {
		await stack.control('faults', { faults: [{ method: 'PUT', path: '/video/', chunkIndex: 2, status: 503 }] });
		const mark = await stack.mark();
		const { items } = await post();
		await expectOnePostWithAllBytes(mark, items[0]);
		expect(items[0].upload_retries).toBe(1);
	}, 120_000);

	it('resends a chunk after the connection dropped mid-request', async () => {
		await stack.control('faults', { faults: [{ method: 'PUT', path: '/video/', chunkIndex: 1, drop: 'mid-request' }] });
		const mark = await stack.mark();
		const { items } = await post();
		await expectOnePostWithAllBytes(mark, items[0]);
		expect(items[0].upload_retries).toBe(1);
	}, 120_000);

	it('moves on when the answer to a delivered chunk was lost (416 shows it arrived)', async () => {
		await stack.control('faults', {
			faults: [{ method: 'PUT', path: '/video/', chunkIndex: 3, drop: 'before-response' }],
		});
		const mark = await stack.mark();
		const { items } = await post();
		const after = await expectOnePostWithAllBytes(mark, items[0]);
		const puts = after.requests.filter((r: Json) => r.method === 'PUT');
		expect(puts.some((r: Json) => r.status === 416)).toBe(true);
	}, 120_000);

	it('reports an expired upload URL with the publish_id and does not start a second post', async () => {
		await stack.control('faults', { faults: [{ method: 'PUT', path: '/video/', chunkIndex: 2, status: 403, times: -1 }] });
		const mark = await stack.mark();
		const { items } = await post();
		expect(items[0].error).toMatch(/chunk 3 of 7/i);
		expect(items[0].publish_id).toMatch(/^v_pub_file/);
		// Neither the upload URL's token nor the credential's secrets leak into the item or n8n's log.
		const leaked = JSON.stringify(items) + stack.n8n.readLog();
		expect(leaked).not.toMatch(/upload_token|upload_id=/);
		for (const secret of stack.secrets) expect(leaked).not.toContain(secret);
		const after = await stack.since(mark);
		expect(after.posts).toHaveLength(1);
		expect(after.requests.filter((r: Json) => r.path === DIRECT_INIT)).toHaveLength(1);
	}, 120_000);

	it('gives up after bounded retries of a chunk that keeps failing, naming the post', async () => {
		await stack.control('faults', { faults: [{ method: 'PUT', path: '/video/', chunkIndex: 0, status: 500, times: -1 }] });
		const mark = await stack.mark();
		const { items } = await post();
		expect(items[0].publish_id).toMatch(/^v_pub_file/);
		const after = await stack.since(mark);
		expect(after.requests.filter((r: Json) => r.method === 'PUT')).toHaveLength(5); // 1 + 4 retries
		expect(after.requests.filter((r: Json) => r.path === DIRECT_INIT)).toHaveLength(1);
	}, 120_000);

	it('never repeats an init whose answer was lost, and says the post may exist', async () => {
		await stack.control('faults', { faults: [{ method: 'POST', path: DIRECT_INIT, drop: 'before-response' }] });
		const mark = await stack.mark();
		const { items } = await post();
		expect(items[0].code).toBe('init_outcome_unknown');
		expect(items[0].hint).toMatch(/may or may not have created/i);
		const after = await stack.since(mark);
		expect(after.requests.filter((r: Json) => r.path === DIRECT_INIT)).toHaveLength(1);
		expect(after.posts).toHaveLength(1); // TikTok did create it: posting again would duplicate
	}, 120_000);

	it('never repeats an init answered with a 5xx', async () => {
		await stack.control('faults', {
			faults: [
				{
					method: 'POST',
					path: DIRECT_INIT,
					status: 500,
					body: { data: {}, error: { code: 'internal_error', message: 'Something went wrong', log_id: 'log-500' } },
				},
			],
		});
		const mark = await stack.mark();
		const { items } = await post();
		expect(items[0]).toMatchObject({ code: 'internal_error', log_id: 'log-500' });
		expect(items[0].hint).toMatch(/may or may not have created/i);
		const after = await stack.since(mark);
		expect(after.requests.filter((r: Json) => r.path === DIRECT_INIT)).toHaveLength(1);
	}, 120_000);

	it('waits out a 429 on init and posts once', async () => {
		await stack.control('faults', {
			faults: [
				{
					method: 'POST',
					path: DIRECT_INIT,
					status: 429,
					body: { data: {}, error: { code: 'rate_limit_exceeded', message: 'Rate limit', log_id: 'log-429' } },
				},
			],
		});
		const mark = await stack.mark();
		const { items } = await post();
		expect(items[0].error).toBeUndefined();
		const after = await stack.since(mark);
		expect(after.requests.filter((r: Json) => r.path === DIRECT_INIT).map((r: Json) => r.status)).toEqual([429, 200]);
		expect(after.posts).toHaveLength(1);
		expect(after.posts[0].sha256).toBe(video.sha256);
	}, 120_000);

	it('survives the access token expiring mid-workflow: n8n refreshes it and the batch completes', async () => {
		// The refresh needs TikTok to read client_key from the token URL's query (see README, Credentials).
		await stack.reset({ clientKeyIn: 'body-or-query' });
		const second = await writeFileOfSize(join(stack.n8n.filesDir, 'faults-2.mp4'), 6 * MiB, 4);
		const mark = await stack.mark();
		const run = stack.run('node-video-file-directPost', {
			files: [{ file: video.path }, { file: second.path }],
			privacy: 'SELF_ONLY',
			wait: true,
		});
		// Once the first video is uploaded (its upload URL lives an hour), jump the emulator's clock
		// past the token's 24 hours: the status checks and the second post then meet an expired token.
		const deadline = Date.now() + 60_000;
		const firstUploaded = async () => (await stack.since(mark)).posts[0]?.bytes === video.bytes;
		while (!(await firstUploaded()) && Date.now() < deadline) {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		await stack.control('clock', { advanceSeconds: 25 * 3600 });
		const { items } = await run;
		expect(items.map((item: Json) => item.error)).toEqual([undefined, undefined]);
		expect(items.map((item: Json) => item.status)).toEqual(['PUBLISH_COMPLETE', 'PUBLISH_COMPLETE']);
		const after = await stack.since(mark);
		expect(after.posts.map((p: Json) => p.sha256)).toEqual([video.sha256, second.sha256]);
		expect(after.requests.some((r: Json) => r.status === 401)).toBe(true);
		expect(after.requests.filter((r: Json) => String(r.path).startsWith('/v2/oauth/token/')).length).toBeGreaterThanOrEqual(1);
		expect(after.requests.filter((r: Json) => r.path === DIRECT_INIT)).toHaveLength(2);
	}, 180_000);
});
