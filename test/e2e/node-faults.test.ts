/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The fault table: every way TikTok, the network or the n8n process can fail during a post, run in
// a real n8n against the emulator, with what the user sees and what TikTok ends up holding. Chunk
// PUTs that fail transiently are resent, lost answers are recognised from TikTok's progress header,
// a post request whose outcome is unknown is reported and never repeated, an expired token is
// refreshed mid-post. The emulator's logs prove the post counts; the table is written to
// test-results/e2e/fault-table.md for the README.
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import { N8N_START_TIMEOUT_MS } from './harness';
import { writeFileOfSize, type GeneratedFile } from './files';
import { startNodeStack, type Json, type Mark, type NodeStack } from './node-stack';
import { REPO_ROOT } from './package-install';
import { PUT_RETRY_WAITS_MS } from '../../nodes/TikTok/transport/retryPolicy';

const MiB = 1024 * 1024;
const DIRECT_INIT = '/v2/post/publish/video/init/';
const STATUS = '/v2/post/publish/status/fetch/';
const CHUNKS = 7; // the 70 MiB video in 10 MiB chunks
const LAST = CHUNKS - 1;
const MIDDLE = 3;

interface Row {
	fault: string;
	userSees: string;
	postsAtTikTok: number;
	published: number;
	postRequests: number;
}
const table: Row[] = [];

describe('Fault table: what the user sees and what TikTok holds (real n8n, emulator)', () => {
	let stack: NodeStack;
	let video: GeneratedFile;

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-faults' });
		video = await writeFileOfSize(join(stack.n8n.filesDir, 'faults.mp4'), 70 * MiB, 3);
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		writeTable();
		await stack?.stop();
	});

	beforeEach(async () => {
		// The credential is OAuth2: n8n's own refresh needs TikTok to read client_key from the query.
		await stack.reset({ clientKeyIn: 'body-or-query', timings: { processingMs: 1_000, moderationMs: 500 } });
	});

	const putFault = (chunkIndex: number, fault: Record<string, unknown>) => ({ method: 'PUT', path: '/video/', chunkIndex, ...fault });

	async function post(extra: Record<string, unknown> = {}): Promise<Json> {
		const { items } = await stack.run('node-sheet-video-file', {
			rows: [{ file: video.path, privacy: 'SELF_ONLY', wait: true, timeoutMinutes: 2, pollSeconds: 2, ...extra }],
		});
		return items[0];
	}

	/** What TikTok holds now, recorded as a row of the table. */
	async function record(fault: string, mark: Mark, item: Json): Promise<{ posts: Json[]; requests: Json[] }> {
		const after = await stack.since(mark);
		const postRequests = after.requests.filter((request: Json) => request.path === DIRECT_INIT).length;
		table.push({
			fault,
			userSees: item.error
				? `error \`${item.code}\`${item.publish_id ? ' with the publish_id' : ''}: ${item.error}`
				: `\`${item.status}\`${item.upload_retries ? ` (${item.upload_retries} chunk resent)` : ''}`,
			postsAtTikTok: after.posts.length,
			published: after.posts.filter((p: Json) => p.status === 'PUBLISH_COMPLETE').length,
			postRequests,
		});
		return after;
	}

	function expectPublishedOnce(after: { posts: Json[]; requests: Json[] }, item: Json): void {
		expect(item.error).toBeUndefined();
		expect(item.status).toBe('PUBLISH_COMPLETE');
		expect(after.posts).toHaveLength(1);
		expect(after.posts[0].publish_id).toBe(item.publish_id);
		expect(after.posts[0].sha256).toBe(video.sha256);
		expect(after.requests.filter((request: Json) => request.path === DIRECT_INIT)).toHaveLength(1);
	}

	describe.each([
		{ where: 'the first chunk', chunk: 0 },
		{ where: 'a middle chunk', chunk: MIDDLE },
		{ where: 'the last chunk', chunk: LAST },
	])('on $where', ({ where, chunk }) => {
		it.each([
			{ fault: '5xx from the upload host', spec: { status: 503 }, resent: true },
			{ fault: 'dropped connection', spec: { drop: 'mid-request' }, resent: true },
			{ fault: '5 s delay', spec: { delayMs: 5_000 }, resent: false },
			{ fault: 'lost answer (the chunk arrived)', spec: { drop: 'before-response' }, resent: true },
		])('$fault: the chunk is resent or settled, the post published once', async ({ fault, spec, resent }) => {
			await stack.control('faults', { faults: [putFault(chunk, spec)] });
			const mark = await stack.mark();
			const item = await post();
			const after = await record(`${fault} on ${where}`, mark, item);
			expectPublishedOnce(after, item);
			if (!resent) {
				expect(item.upload_retries).toBe(0);
			} else {
				// One fault, one resend, and sometimes more: when the emulator answers a resend of a chunk
				// it already holds before reading its body, n8n's per-request agent has asked it to close,
				// and Node can report the write's EPIPE before that answer, once or again on the next
				// resend (2 resends seen 1 in 6 runs under load, 3 once in a full npm test). Resending a
				// chunk is safe; the policy bounds how often (PUT_RETRY_WAITS_MS), and the post must still
				// be published once from one init (expectPublishedOnce above).
				expect(item.upload_retries).toBeGreaterThanOrEqual(1);
				expect(item.upload_retries).toBeLessThanOrEqual(PUT_RETRY_WAITS_MS.length);
			}
		}, 120_000);
	});

	it('416 (TikTok out of step with the node): the chunk is resent from TikTok\'s progress, published once', async () => {
		const chunkBytes = 10 * MiB;
		await stack.control('faults', {
			faults: [
				putFault(MIDDLE, {
					status: 416,
					headers: { 'content-range': `bytes 0-${MIDDLE * chunkBytes - 1}/${video.bytes}` },
					body: '',
				}),
			],
		});
		const mark = await stack.mark();
		const item = await post();
		expectPublishedOnce(await record('416 on a middle chunk', mark, item), item);
	}, 120_000);

	it('expired upload URL (403): reported with the publish_id; TikTok holds an incomplete upload it will not publish', async () => {
		await stack.control('faults', { faults: [putFault(MIDDLE, { status: 403, times: -1 })] });
		const mark = await stack.mark();
		const item = await post();
		const after = await record('expired upload URL (403) on a middle chunk', mark, item);
		expect(item).toMatchObject({ code: 'upload_http_403', publish_id: after.posts[0].publish_id });
		expect(item.error).toMatch(/chunk 4 of 7/);
		expect(after.posts).toHaveLength(1);
		expect(after.posts[0].status).toBe('PROCESSING_UPLOAD');
		// Neither the upload URL's token nor the credential's secrets leak into the item or n8n's log.
		const leaked = JSON.stringify(item) + stack.n8n.readLog();
		expect(leaked).not.toMatch(/upload_token|upload_id=/);
		for (const secret of stack.secrets) expect(leaked).not.toContain(secret);
	}, 120_000);

	it('a chunk failing every time: bounded resends, then reported with the publish_id', async () => {
		await stack.control('faults', { faults: [putFault(0, { status: 500, times: -1 })] });
		const mark = await stack.mark();
		const item = await post();
		const after = await record('5xx on every attempt of a chunk', mark, item);
		expect(item).toMatchObject({ publish_id: after.posts[0].publish_id });
		expect(after.posts[0].status).toBe('PROCESSING_UPLOAD');
		// TikTok's 500 as such, or, when the emulator's answer came before it read the body and Node
		// reported the write's EPIPE first (the race described above; seen once in a run of this
		// suite), the connection failure: either way the same verdict, TikTok will not publish it.
		expect(['upload_http_500', 'upload_failed']).toContain(item.code);
		expect(after.requests.filter((request: Json) => request.method === 'PUT')).toHaveLength(PUT_RETRY_WAITS_MS.length + 1);
		expect(after.requests.filter((request: Json) => request.path === DIRECT_INIT)).toHaveLength(1);
	}, 120_000);

	it('lost answer to the post request: reported as possibly posted, never repeated (TikTok did create it)', async () => {
		await stack.control('faults', { faults: [{ method: 'POST', path: DIRECT_INIT, drop: 'before-response' }] });
		const mark = await stack.mark();
		const item = await post();
		const after = await record('lost answer to the post request (init)', mark, item);
		expect(item.code).toBe('init_outcome_unknown');
		expect(item.hint).toMatch(/may or may not have created/i);
		expect(after.requests.filter((request: Json) => request.path === DIRECT_INIT)).toHaveLength(1);
		expect(after.posts).toHaveLength(1);
	}, 120_000);

	it('5xx on the post request: TikTok\'s code and log_id kept, never repeated', async () => {
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
		const item = await post();
		const after = await record('5xx on the post request (init)', mark, item);
		expect(item).toMatchObject({ code: 'internal_error', log_id: 'log-500' });
		expect(item.hint).toMatch(/may or may not have created/i);
		expect(after.requests.filter((request: Json) => request.path === DIRECT_INIT)).toHaveLength(1);
	}, 120_000);

	it('429 on the post request: waited out, published once', async () => {
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
		const item = await post();
		const after = await record('429 on the post request (init)', mark, item);
		expect(after.requests.filter((request: Json) => request.path === DIRECT_INIT).map((request: Json) => request.status)).toEqual([429, 200]);
		expect(after.posts).toHaveLength(1);
		expect(item.status).toBe('PUBLISH_COMPLETE');
	}, 120_000);

	/** Moves the emulator's clock so the credential's access token has `seconds` left. */
	async function leaveTokenLifetime(seconds: number): Promise<void> {
		const state = await stack.control('state', undefined, 'GET');
		const live = (state.tokens as Json[]).filter((token: Json) => !token.expired && !token.revoked).pop();
		const left = (Date.parse(live.expires_at) - Date.parse(state.now)) / 1000;
		if (left > seconds) await stack.control('clock', { advanceSeconds: Math.floor(left - seconds) });
	}

	async function waitFor(mark: Mark, done: (after: { posts: Json[]; requests: Json[] }) => boolean): Promise<void> {
		for (let attempt = 0; attempt < 600; attempt++) {
			if (done(await stack.since(mark))) return;
			await new Promise((resolve) => setTimeout(resolve, 50));
		}
		throw new Error('the awaited state was never reached');
	}

	it('401 mid-upload (the access token expires during the upload): the upload goes on, the status check refreshes, published once', async () => {
		await leaveTokenLifetime(600);
		const mark = await stack.mark();
		const running = post();
		await waitFor(mark, (after) => after.requests.some((request: Json) => request.method === 'PUT' && request.chunkIndex === 2));
		await stack.control('clock', { advanceSeconds: 1_200 }); // token expired; the upload URL is 20 minutes old
		const item = await running;
		const after = await record('401: access token expired mid-upload', mark, item);
		expectPublishedOnce(after, item);
		expect(after.requests.some((request: Json) => request.path === STATUS && request.status === 401)).toBe(true);
		expect(after.requests.some((request: Json) => String(request.path).startsWith('/v2/oauth/token/'))).toBe(true);
	}, 120_000);

	it('401 mid-wait (the access token expires while waiting): refreshed, published once', async () => {
		await stack.reset({ clientKeyIn: 'body-or-query', timings: { processingMs: 15_000 } });
		await leaveTokenLifetime(3_000);
		const mark = await stack.mark();
		const running = post();
		await waitFor(mark, (after) => after.requests.some((request: Json) => request.path === STATUS));
		await stack.control('clock', { advanceSeconds: 3_600 });
		const item = await running;
		const after = await record('401: access token expired while waiting for the verdict', mark, item);
		expectPublishedOnce(after, item);
		expect(after.requests.some((request: Json) => request.path === STATUS && request.status === 401)).toBe(true);
	}, 120_000);

	it('5xx on status checks while waiting: polling goes on, published once', async () => {
		await stack.reset({ clientKeyIn: 'body-or-query', timings: { processingMs: 6_000 } });
		await stack.control('faults', { faults: [{ method: 'POST', path: STATUS, status: 503, times: 3 }] });
		const mark = await stack.mark();
		const item = await post();
		const after = await record('5xx on status checks while waiting', mark, item);
		expectPublishedOnce(after, item);
		expect(after.requests.filter((request: Json) => request.path === STATUS && request.status === 503)).toHaveLength(3);
	}, 120_000);

	it('n8n killed mid-upload, then the workflow run again: TikTok never publishes the broken upload, the re-run publishes once', async () => {
		const mark = await stack.mark();
		const running = post().catch(() => undefined);
		await waitFor(mark, (after) => after.requests.some((request: Json) => request.method === 'PUT' && request.chunkIndex === 2));
		await stack.crashAndRestart();
		await running;
		const item = await post();
		const after = await record('n8n killed mid-upload, then the workflow run again', mark, item);
		expect(item.status).toBe('PUBLISH_COMPLETE');
		expect(after.posts).toHaveLength(2);
		expect(after.posts[0].status).toBe('PROCESSING_UPLOAD');
		expect(after.posts.filter((p: Json) => p.status === 'PUBLISH_COMPLETE')).toHaveLength(1);
	}, 240_000);
});

function writeTable(): void {
	if (table.length === 0) return;
	const dir = join(REPO_ROOT, 'test-results', 'e2e');
	mkdirSync(dir, { recursive: true });
	const lines = [
		'| Fault | What the user sees | Posts at TikTok | Published | Post requests |',
		'|---|---|---|---|---|',
		...table.map(
			(row) =>
				`| ${row.fault} | ${row.userSees.replace(/\|/g, '\\|').replace(/\s+/g, ' ')} | ${row.postsAtTikTok} | ${row.published} | ${row.postRequests} |`,
		),
		'',
	];
	writeFileSync(join(dir, 'fault-table.md'), lines.join('\n'));
}
