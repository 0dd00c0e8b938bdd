/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// What n8n and its users do around the node, in a real n8n, with the node's Settings tab as users
// set it: Retry On Fail, Continue (using error output), a retried execution, stopping an
// execution, many items waiting on TikTok at once, a dropdown opened while TikTok rate-limits.
// The emulator's post and request logs prove that nothing is ever posted twice.
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';

import { N8N_START_TIMEOUT_MS, type WorkflowJson } from './harness';
import { writeFileOfSize, type GeneratedFile } from './files';
import { startNodeStack, type Json, type NodeStack } from './node-stack';

const MiB = 1024 * 1024;
const DIRECT_INIT = '/v2/post/publish/video/init/';
const CONTENT_INIT = '/v2/post/publish/content/init/';
const STATUS = '/v2/post/publish/status/fetch/';

const fixture = (name: string) =>
	JSON.parse(readFileSync(join(__dirname, 'workflows', `${name}.json`), 'utf8')) as WorkflowJson;

describe('The node under what n8n does around it (real n8n, emulator)', () => {
	let stack: NodeStack;
	let small: GeneratedFile;
	let other: GeneratedFile;
	let large: GeneratedFile;

	beforeAll(async () => {
		// JSON logs carry timestamps: the stop tests time the node's reaction by its own log line.
		stack = await startNodeStack({ name: 'node-safety', env: { N8N_LOG_FORMAT: 'json' } });
		small = await writeFileOfSize(join(stack.n8n.filesDir, 'safety-a.mp4'), 3 * MiB, 11);
		other = await writeFileOfSize(join(stack.n8n.filesDir, 'safety-b.mp4'), 3 * MiB, 12);
		large = await writeFileOfSize(join(stack.n8n.filesDir, 'safety-large.mp4'), 70 * MiB, 13); // 7 chunks
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
	});

	beforeEach(async () => {
		await stack.reset();
	});

	/** Publishes a copy of a sheet fixture with the TikTok node's settings changed, as the Settings tab does. */
	async function variant(name: string, settings: Record<string, unknown>): Promise<{ id: string; path: string }> {
		const workflow = fixture(name);
		const path = `${name}-${randomUUID()}`;
		workflow.name = `${workflow.name} ${path}`;
		for (const node of workflow.nodes) {
			if (node.name === 'Webhook') {
				node.webhookId = randomUUID();
				(node.parameters as Record<string, unknown>).path = path;
			}
			if (node.name === 'TikTok') {
				delete node.onError;
				Object.assign(node, settings);
			}
		}
		const imported = await stack.n8n.importWorkflow(workflow);
		return { id: imported.id, path };
	}

	const row = (file: GeneratedFile, extra: Record<string, unknown> = {}) => ({ file: file.path, privacy: 'SELF_ONLY', ...extra });
	const inits = (requests: Json[], path = DIRECT_INIT) => requests.filter((request) => request.path === path);

	/** The TikTok node's outputs in an execution: main[0] (success) and main[1] (error output). */
	async function tiktokOutputs(workflowId: string): Promise<Json[][]> {
		const execution = await finishedExecution(workflowId);
		const runs = (execution.data.resultData as Json).runData.TikTok as Json[];
		return (runs[0].data.main as Json[][]).map((items) => items ?? []);
	}

	async function finishedExecution(workflowId: string) {
		for (let attempt = 0; attempt < 80; attempt++) {
			const [newest] = await stack.n8n.listExecutions(workflowId, 1);
			if (newest && !['running', 'new'].includes(newest.status)) return await stack.n8n.getExecution(newest.id);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`no finished execution of ${workflowId}`);
	}

	const retryOnFail = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };

	it('Retry On Fail: an invalid item does not post the items before it again, nor does retrying the execution', async () => {
		const workflow = await variant('node-sheet-video-file', retryOnFail);
		const mark = await stack.mark();
		const run = await stack.n8n.runWebhook(workflow.path, { rows: [row(small), row(other, { privacy: '' })] });
		expect(run.status).toBe(500);
		const failed = await finishedExecution(workflow.id);
		expect(String(failed.error?.message)).toMatch(/Privacy level is required/);
		let after = await stack.since(mark);
		expect(after.posts).toHaveLength(1);
		expect(inits(after.requests)).toHaveLength(1);

		// Executions → Retry: n8n runs the node again with the saved execution data (its node context included).
		await stack.n8n.rest.request('POST', `/rest/executions/${failed.id}/retry`, { loadWorkflow: false });
		const retried = await stack.n8n.lastExecution(workflow.id);
		expect(retried.id).not.toBe(failed.id);
		expect(retried.status).toBe('error');
		after = await stack.since(mark);
		expect(after.posts).toHaveLength(1);
		expect(inits(after.requests)).toHaveLength(1);
	}, 120_000);

	it('Retry On Fail: a post request TikTok answered with 500 is reported, never repeated, and earlier items stay posted once', async () => {
		const workflow = await variant('node-sheet-video-file', retryOnFail);
		await stack.control('faults', { faults: [{ method: 'POST', path: DIRECT_INIT, status: 500, skip: 1 }] });
		const mark = await stack.mark();
		expect((await stack.n8n.runWebhook(workflow.path, { rows: [row(small), row(other)] })).status).toBe(500);
		const failed = await finishedExecution(workflow.id);
		expect(JSON.stringify(failed.error)).toMatch(/may or may not have created the post/);
		const after = await stack.since(mark);
		expect(inits(after.requests)).toHaveLength(2); // item 1 once, item 2 once: no retry of either
		expect(after.posts).toHaveLength(1);
	}, 120_000);

	it('Retry On Fail: a post whose answer was lost (TikTok created it) is not created again', async () => {
		const workflow = await variant('node-sheet-video-file', retryOnFail);
		await stack.control('faults', { faults: [{ method: 'POST', path: DIRECT_INIT, drop: 'before-response', skip: 1 }] });
		const mark = await stack.mark();
		expect((await stack.n8n.runWebhook(workflow.path, { rows: [row(small), row(other)] })).status).toBe(500);
		const after = await stack.since(mark);
		expect(inits(after.requests)).toHaveLength(2);
		expect(after.posts).toHaveLength(2); // both exist at TikTok, each once
	}, 120_000);

	it('Retry On Fail with Continue On Fail: n8n re-runs the node for a failed first item, and nothing posts twice', async () => {
		const workflow = await variant('node-sheet-video-file', { ...retryOnFail, onError: 'continueRegularOutput' });
		const mark = await stack.mark();
		const run = await stack.n8n.runWebhook(workflow.path, { rows: [row(small, { privacy: 'nobody' }), row(small), row(other)] });
		expect(run.status).toBe(200);
		const items = run.json as Json[];
		expect(items.map((item) => Boolean(item.error))).toEqual([true, false, false]);
		expect(items[0]).toMatchObject({ code: 'invalid_input' });
		const after = await stack.since(mark);
		expect(after.posts).toHaveLength(2);
		expect(inits(after.requests)).toHaveLength(2);
	}, 120_000);

	it('Continue (using error output): failed items leave by the error output with TikTok\'s code, log_id and hint, paired to their input', async () => {
		const workflow = await variant('node-sheet-video-file', { onError: 'continueErrorOutput' });
		await stack.control('faults', {
			faults: [
				{
					method: 'POST',
					path: DIRECT_INIT,
					skip: 1,
					status: 403,
					body: { data: {}, error: { code: 'spam_risk_too_many_posts', message: 'Too many posts', log_id: 'log-403' } },
				},
			],
		});
		const mark = await stack.mark();
		await stack.n8n.runWebhook(workflow.path, { rows: [row(small), row(other, { privacy: '' }), row(other)] });
		const [success, errors] = await tiktokOutputs(workflow.id);
		expect(success).toHaveLength(1);
		expect(success[0].json.publish_id).toMatch(/^v_pub_file/);
		expect(errors).toHaveLength(2);
		expect(errors.map((item: Json) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
		expect(errors[0].json).toMatchObject({ error: expect.stringMatching(/Privacy level is required/), details: { code: 'invalid_input' } });
		expect(errors[0].json.details.hint).toMatch(/explicit choice/);
		expect(errors[1].json).toMatchObject({ details: { code: 'spam_risk_too_many_posts', log_id: 'log-403', httpStatus: 403 } });
		expect(errors[1].json.details.hint).toMatch(/15 API posts/);
		// n8n merges the input item's fields into error-output items (here: Read Video File's file name).
		expect(errors[1].json.fileName).toBe('safety-b.mp4');
		expect((await stack.since(mark)).posts).toHaveLength(1);
	}, 120_000);

	it('a status check failing after the upload names the publish_id and points to Get Status, never to a re-run', async () => {
		await stack.control('faults', { faults: [{ method: 'POST', path: STATUS, status: 503, times: -1 }] });
		const mark = await stack.mark();
		const video = await stack.run('node-sheet-video-file', { rows: [row(small, { wait: true, timeoutMinutes: 0.05, pollSeconds: 2 })] });
		const photo = await stack.run('node-sheet-photo', {
			rows: [{ photos: [stack.emulator.mediaUrl('photo-1.jpg')], privacy: 'SELF_ONLY' }],
		});
		const after = await stack.since(mark);
		expect(after.posts).toHaveLength(2);
		for (const [item, post] of [
			[video.items[0], after.posts[0]],
			[photo.items[0], after.posts[1]],
		]) {
			expect(item.publish_id).toBe(post.publish_id);
			expect(item.hint).toMatch(/check it with the Get Status operation and this publish_id before running this item again/);
			expect(item.hint).not.toMatch(/retry/i);
		}
		expect(inits(after.requests, CONTENT_INIT)).toHaveLength(1);
	}, 120_000);

	/**
	 * When n8n logged a line matching `pattern` after `offset` (the suite runs n8n with JSON logs,
	 * whose metadata carries a timestamp).
	 */
	function loggedAt(pattern: RegExp, offset: number): { at: number; message: string } | undefined {
		for (const line of stack.n8n.readLog().slice(offset).split('\n')) {
			if (!line.startsWith('{')) continue;
			const entry = JSON.parse(line) as { message?: string; metadata?: { timestamp?: string } };
			if (entry.message && pattern.test(entry.message)) {
				return { at: Date.parse(String(entry.metadata?.timestamp)), message: entry.message };
			}
		}
		return undefined;
	}

	it.each([
		{
			when: 'a chunk before the last is on its way',
			rows: () => [row(large, { chunkSizeMb: 32 })], // 2 chunks: 32 MiB, then the remaining 38 MiB
			verdict: /chunk 1 of 2\). TikTok did not receive the whole video, so it will not publish this post/,
			abandoned: true,
		},
		{
			when: 'the last chunk is on its way',
			rows: () => [row(small)], // one 3 MiB chunk
			verdict: /chunk 1 of 1\). The last chunk was being sent when the upload was aborted, so TikTok may still publish the post/,
			// What the socket already held still arrives after the abort: it may complete the upload.
			abandoned: false,
		},
	])('stopping the execution while $when aborts the PUT within a second and says whether TikTok may publish', async ({ rows, verdict, abandoned }) => {
		const workflow = await variant('node-sheet-video-file', { onError: 'continueRegularOutput' });
		// A slow uplink: the first chunk takes several seconds to arrive.
		await stack.control('faults', {
			faults: [{ method: 'PUT', path: '/video/', chunkIndex: 0, throttleBytesPerSecond: 512 * 1024 }],
		});
		const mark = await stack.mark();
		const logOffset = stack.n8n.readLog().length;
		const running = stack.n8n.runWebhook(workflow.path, { rows: rows() }).catch(() => undefined);
		const inFlight = await waitForRequest(mark, (request) => request.method === 'PUT');
		await new Promise((resolve) => setTimeout(resolve, 1_000));
		const [execution] = await stack.n8n.listExecutions(workflow.id, 1);
		expect(execution.status).toBe('running');
		const stoppedAt = Date.now();
		await stack.n8n.rest.request('POST', `/rest/executions/${execution.id}/stop`, {});
		await running;

		const publishId = (await stack.since(mark)).posts[0].publish_id as string;
		for (let i = 0; i < 50 && !loggedAt(/TikTok upload stopped/, logOffset); i++) await new Promise((resolve) => setTimeout(resolve, 100));
		const logged = loggedAt(/TikTok upload stopped/, logOffset);
		expect(logged?.message).toMatch(verdict);
		expect(logged?.message).toContain(publishId);
		expect((logged?.at ?? Infinity) - stoppedAt).toBeLessThan(1_000);

		const puts = (await stack.since(mark)).requests.filter((request: Json) => request.method === 'PUT');
		expect(puts).toHaveLength(1);
		if (!abandoned) return;
		// The emulator drains what the kernel had buffered, then sees the connection closed: the
		// chunk never completes, nothing more is sent, and the post never reaches TikTok's checks.
		const aborted = await waitForRequest(mark, (request) => request.id === inFlight.id && request.status === 'aborted');
		expect(aborted.status).toBe('aborted');
		const after = await stack.since(mark);
		expect(after.requests.filter((request: Json) => request.method === 'PUT')).toHaveLength(1);
		expect(after.posts).toHaveLength(1);
		expect(after.posts[0]).toMatchObject({ status: 'PROCESSING_UPLOAD', bytes: 0 });
		expect((await stack.n8n.getExecution(execution.id)).status).toBe('canceled');
	}, 240_000);

	it('stopping the execution during Wait for Completion ends the wait at once (no status call after the stop)', async () => {
		await stack.reset({ timings: { processingMs: 120_000 } });
		const workflow = await variant('node-sheet-video-file', { onError: 'continueRegularOutput' });
		const mark = await stack.mark();
		const running = stack.n8n
			.runWebhook(workflow.path, { rows: [row(small, { wait: true, timeoutMinutes: 5, pollSeconds: 2 })] })
			.catch(() => undefined);
		await waitForRequest(mark, (request) => request.path === STATUS);
		const [execution] = await stack.n8n.listExecutions(workflow.id, 1);
		const stoppedAt = Date.now();
		await stack.n8n.rest.request('POST', `/rest/executions/${execution.id}/stop`, {});
		await running;
		await new Promise((resolve) => setTimeout(resolve, 5_000));
		const statusCalls = (await stack.since(mark)).requests.filter((request: Json) => request.path === STATUS);
		const afterStop = statusCalls.filter((request: Json) => Date.parse(request.time) > stoppedAt + 1_000);
		expect(afterStop).toEqual([]);
		expect((await stack.n8n.getExecution(execution.id)).status).toBe('canceled');
	}, 240_000);

	it('Get Status with Wait on 8 items shares TikTok\'s 30 status calls a minute (no 429)', async () => {
		await stack.reset({ timings: { processingMs: 40_000 } });
		const created: string[] = [];
		for (let i = 0; i < 8; i++) created.push(await createDraftDirectly(i));
		await stack.reset({ rateLimits: true, timings: { processingMs: 40_000 } });
		const mark = await stack.mark();
		const run = await stack.run('node-sheet-get-status', {
			rows: created.map((publishId) => ({ publishId, wait: true, timeoutMinutes: 4, pollSeconds: 2 })),
		});
		expect(run.items.map((item: Json) => item.status)).toEqual(Array(8).fill('SEND_TO_USER_INBOX'));
		const calls = (await stack.since(mark)).requests.filter((request: Json) => request.path === STATUS);
		expect(calls.filter((call: Json) => call.status === 429)).toEqual([]);
		const times = calls.map((call: Json) => Date.parse(call.time)).sort((a: number, b: number) => a - b);
		for (let start = 0; start < times.length; start++) {
			const inWindow = times.filter((time: number) => time >= times[start] && time < times[start] + 60_000);
			expect(inWindow.length).toBeLessThanOrEqual(30);
		}
	}, 240_000);

	it('the Privacy Level dropdown fails at once with a readable message while TikTok rate-limits, without retrying', async () => {
		await stack.control('faults', {
			faults: [{ path: '/v2/post/publish/creator_info/query/', status: 429, times: -1 }],
		});
		const mark = await stack.mark();
		const started = Date.now();
		const response = await stack.n8n.rest.raw('POST', '/rest/dynamic-node-parameters/options', {
			path: 'privacyLevel',
			methodName: 'getPrivacyLevels',
			nodeTypeAndVersion: { name: 'n8n-nodes-tiktok-posting.tikTok', version: 1 },
			currentNodeParameters: { authentication: 'oAuth2', resource: 'video', operation: 'post', postMode: 'directPost' },
			credentials: { tikTokOAuth2Api: { id: 'tiktok-oauth', name: 'TikTok (emulator)' } },
		});
		const elapsed = Date.now() - started;
		expect(response.status).toBeGreaterThanOrEqual(400);
		expect(response.text).toMatch(/rate limit/i);
		// One request, no waiting it out: the old behaviour retried for about two and a half minutes.
		expect((await stack.since(mark)).requests.filter((request: Json) => request.path.startsWith('/v2/'))).toHaveLength(1);
		expect(elapsed).toBeLessThan(5_000);
	}, 60_000);

	/**
	 * Polls the emulator's request log (bounded) for a request after `mark` that matches. Generous:
	 * the node paces post requests at TikTok's 6 a minute, so a post right after others may wait.
	 */
	async function waitForRequest(mark: { requestId: number; postCount: number }, match: (request: Json) => boolean): Promise<Json> {
		for (let attempt = 0; attempt < 1_200; attempt++) {
			const found = (await stack.since(mark)).requests.find(match);
			if (found) return found;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		throw new Error('the expected request never reached the emulator');
	}

	/** A draft photo post made straight at the emulator with the credential's token (setup, not under test). */
	async function createDraftDirectly(n: number): Promise<string> {
		const response = await fetch(`${stack.emulator.url}${CONTENT_INIT}`, {
			method: 'POST',
			headers: { authorization: `Bearer ${stack.secrets[0]}`, 'content-type': 'application/json' },
			body: JSON.stringify({
				media_type: 'PHOTO',
				post_mode: 'MEDIA_UPLOAD',
				post_info: {},
				source_info: { source: 'PULL_FROM_URL', photo_images: [stack.emulator.mediaUrl(`photo-${n}.jpg`)], photo_cover_index: 0 },
			}),
		});
		const body = (await response.json()) as Json;
		expect(body.error.code).toBe('ok');
		return body.data.publish_id as string;
	}
});
