/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The TikTok Trigger inside a real n8n, fed by the emulator's signed webhook deliveries: one run
// per event with the right fields; nothing run for refused, filtered, duplicated, redelivered or
// replayed deliveries; the records kept in the workflow's static data, also across a crash; and
// the two templates working together. Runs are counted over n8n's REST API.
import { randomUUID } from 'crypto';
import { readFileSync } from 'fs';
import { join } from 'path';
import { startEmulator, type ConfigPatch, type RunningEmulator } from '../emulator';
import { writeFileOfSize } from './files';
import { N8N_START_TIMEOUT_MS, startN8n, type N8nInstance, type WorkflowJson } from './harness';
import { killGroup } from './n8n-process';
import { emulatorOAuth2Credential, type Json } from './node-stack';

const APP = { clientKey: 'emulator-client-key', clientSecret: 'emulator-client-secret' };
const TRIGGER = 'TikTok Trigger';
const OAUTH2 = { id: 'tiktok-oauth', name: 'TikTok (emulator)' };
const REFRESH = { id: 'tiktok-refresh', name: 'TikTok refresh token (emulator)' };
const OPEN_ID = '-000emulatorOpenIdCreator0001';
/** After the deliveries an assertion waits for: long enough for a wrong extra run to show up. */
const SETTLE_MS = 1500;
const POLL_MS = 200;
const WAIT_MS = 30_000;
const TEST_MS = 120_000;
const MAX_EXECUTIONS = 100;
const WEBHOOK_DEFAULTS = {
	retries: 3,
	retryDelayMs: 300,
	duplicateDeliveries: 0,
	badSignature: false,
	timestampSkewSec: 0,
};

interface TriggerWorkflow {
	id: string;
	path: string;
}

let emulator: RunningEmulator;
let n8n: N8nInstance;
let tokens: Json;
let refreshTokens: Json;
let main: TriggerWorkflow;
let filtered: TriggerWorkflow;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function control(path: string, body?: unknown, method = 'POST'): Promise<Json> {
	const response = await fetch(`${emulator.url}/__emulator/${path}`, {
		method,
		headers: body === undefined ? {} : { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const json = await response.json();
	if (response.status !== 200)
		throw new Error(`emulator ${path}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

const state = () => control('state', undefined, 'GET');

function callbackUrl(trigger: TriggerWorkflow): string {
	return `${n8n.baseUrl}/webhook/${trigger.path}`;
}

/** Points TikTok's callback URL at a trigger; every other webhook setting back to the test defaults. */
async function deliverTo(
	trigger: TriggerWorkflow,
	webhook: ConfigPatch['webhook'] = {},
	config: ConfigPatch = {},
): Promise<void> {
	await control('config', {
		...config,
		webhook: { ...WEBHOOK_DEFAULTS, url: callbackUrl(trigger), ...webhook },
	});
}

function loadWorkflow(file: string, folder = join(__dirname, 'workflows')): WorkflowJson {
	return JSON.parse(readFileSync(join(folder, file), 'utf8')) as WorkflowJson;
}

/** The README's importable templates. */
const TEMPLATES = join(__dirname, '..', '..', 'templates');

function useCredential(
	node: Record<string, unknown>,
	authentication: 'oAuth2' | 'refreshToken',
): void {
	(node.parameters as Record<string, unknown>).authentication = authentication;
	node.credentials =
		authentication === 'oAuth2' ? { tikTokOAuth2Api: OAUTH2 } : { tikTokRefreshTokenApi: REFRESH };
}

/** Publishes a workflow with a TikTok Trigger and waits until n8n serves its production URL. */
async function publishTrigger(workflow: WorkflowJson): Promise<TriggerWorkflow> {
	const node = workflow.nodes.find((candidate) => candidate.name === TRIGGER) as Record<
		string,
		unknown
	>;
	// The trigger's production path is <webhookId>/<the node's webhook path>.
	node.webhookId = randomUUID();
	const imported = await n8n.importWorkflow(workflow, { activate: true });
	expect(imported.active).toBe(true);
	const path = `${node.webhookId as string}/webhook`;
	await n8n.waitForWebhook(path, 'POST');
	return { id: imported.id, path };
}

async function importTrigger(
	name: string,
	authentication: 'oAuth2' | 'refreshToken',
	events?: string[],
) {
	const workflow = loadWorkflow('trigger-events.json');
	workflow.name = `${workflow.name}: ${name}`;
	const node = workflow.nodes.find((candidate) => candidate.name === TRIGGER) as Record<
		string,
		unknown
	>;
	useCredential(node, authentication);
	if (events) (node.parameters as Record<string, unknown>).events = events;
	return await publishTrigger(workflow);
}

/** A post made straight at the emulator's API (FILE_UPLOAD of 1000 bytes), as any TikTok client would. */
async function createPost(kind: 'public' | 'private' | 'draft'): Promise<string> {
	const source_info = {
		source: 'FILE_UPLOAD',
		video_size: 1000,
		chunk_size: 1000,
		total_chunk_count: 1,
	};
	const path =
		kind === 'draft' ? '/v2/post/publish/inbox/video/init/' : '/v2/post/publish/video/init/';
	const body =
		kind === 'draft'
			? { source_info }
			: {
					post_info: {
						privacy_level: kind === 'public' ? 'PUBLIC_TO_EVERYONE' : 'SELF_ONLY',
						brand_content_toggle: false,
						title: 'trigger e2e',
					},
					source_info,
				};
	const init = await fetch(`${emulator.url}${path}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${tokens.access_token}`, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	}).then((response) => response.json() as Promise<Json>);
	if (!init.data?.upload_url) throw new Error(`init failed: ${JSON.stringify(init)}`);
	const put = await fetch(init.data.upload_url, {
		method: 'PUT',
		headers: { 'content-type': 'video/mp4', 'content-range': 'bytes 0-999/1000' },
		body: Buffer.alloc(1000, 7),
	});
	expect(put.status).toBe(201);
	return init.data.publish_id as string;
}

async function deliveries(match: (delivery: Json) => boolean): Promise<Json[]> {
	return ((await state()).webhookDeliveries as Json[]).filter(match);
}

async function waitForDeliveries(
	match: (delivery: Json) => boolean,
	count: number,
): Promise<Json[]> {
	const deadline = Date.now() + WAIT_MS;
	for (;;) {
		const found = await deliveries(match);
		if (found.length >= count) return found;
		if (Date.now() > deadline)
			throw new Error(`${found.length} of ${count} deliveries: ${JSON.stringify(found)}`);
		await sleep(POLL_MS);
	}
}

interface Run {
	executionId: string;
	item: Json;
	nodes: Record<string, { json: Json[] }>;
	data: unknown;
}

/** Finished executions are parsed once; their trigger items and every node's output kept. */
const parsedRuns = new Map<string, Run[]>();

async function runsOf(workflowId: string): Promise<{ runs: Run[]; executions: number }> {
	const executions = await n8n.listExecutions(workflowId, MAX_EXECUTIONS);
	// n8n lists at most 100 per page: this suite stays below that, so one page is all of them.
	if (executions.length >= MAX_EXECUTIONS)
		throw new Error(`workflow ${workflowId} has ${MAX_EXECUTIONS}+ executions`);
	const runs: Run[] = [];
	for (const execution of executions) {
		if (!parsedRuns.has(execution.id)) {
			if (execution.status === 'running' || execution.status === 'new') continue;
			const details = await n8n.getExecution(execution.id);
			const items = details.nodes[TRIGGER]?.json ?? [];
			parsedRuns.set(
				execution.id,
				items.map((item) => ({
					executionId: execution.id,
					item,
					nodes: details.nodes,
					data: details.data,
				})),
			);
		}
		runs.push(...(parsedRuns.get(execution.id) ?? []));
	}
	return { runs, executions: executions.length };
}

/** Waits for `count` runs matching, lets SETTLE_MS pass and returns all matching runs then. */
async function settledRuns(
	workflowId: string,
	match: (item: Json) => boolean,
	count: number,
): Promise<Run[]> {
	const deadline = Date.now() + WAIT_MS;
	while ((await runsOf(workflowId)).runs.filter((run) => match(run.item)).length < count) {
		if (Date.now() > deadline) break;
		await sleep(POLL_MS);
	}
	await sleep(SETTLE_MS);
	return (await runsOf(workflowId)).runs.filter((run) => match(run.item));
}

const forPost = (publishId: string) => (item: Json) => item.publish_id === publishId;
const forUser = (openId: string) => (item: Json) => item.user_openid === openId;

beforeAll(async () => {
	emulator = await startEmulator({
		port: 0,
		config: {
			rateLimits: false,
			dailyPostCap: 1000,
			pendingDraftCap: 1000,
			timings: { processingMs: 300, moderationMs: 300 },
		},
	});
	tokens = await control('tokens', {});
	refreshTokens = await control('tokens', {});
	n8n = await startN8n({
		name: 'trigger',
		credentials: [
			emulatorOAuth2Credential(OAUTH2.id, OAUTH2.name, emulator.url, tokens),
			{
				...REFRESH,
				type: 'tikTokRefreshTokenApi',
				data: {
					apiBaseUrl: emulator.url,
					clientKey: APP.clientKey,
					clientSecret: APP.clientSecret,
					refreshToken: refreshTokens.refresh_token,
				},
			},
		],
	});
	await n8n.login();
	main = await importTrigger('all events', 'oAuth2');
	filtered = await importTrigger('failed only', 'refreshToken', ['post.publish.failed']);
}, N8N_START_TIMEOUT_MS);

afterAll(async () => {
	await n8n?.stop();
	await emulator?.close();
});

beforeEach(async () => {
	await deliverTo(main, {}, { nextFailReasons: [] });
});

describe('TikTok Trigger: one run per event', () => {
	it(
		'a public direct post: post.publish.complete, then publicly_available with the exact 19-digit post_id',
		async () => {
			const publishId = await createPost('public');
			const delivered = await waitForDeliveries(
				(d) => d.publish_id === publishId && d.status === 200,
				2,
			);
			const runs = await settledRuns(main.id, forPost(publishId), 2);
			expect(runs.map((run) => run.item.event).sort()).toEqual([
				'post.publish.complete',
				'post.publish.publicly_available',
			]);

			const postId = ((await state()).posts as Json[]).find((post) => post.publish_id === publishId)
				.publicaly_available_post_id[0];
			expect(postId).toMatch(/^\d{19}$/);
			// TikTok's form: a bare number inside the content string, beyond what a double holds.
			const availableBody = delivered.find(
				(d) => d.event === 'post.publish.publicly_available',
			).body;
			expect(JSON.parse(availableBody).content).toContain(`"post_id":${postId}`);
			expect(String(Number(postId))).not.toBe(postId);

			const available = runs.find(
				(run) => run.item.event === 'post.publish.publicly_available',
			)?.item;
			expect(available).toEqual({
				event: 'post.publish.publicly_available',
				create_time: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				create_time_unix: expect.any(Number),
				user_openid: OPEN_ID,
				client_key: APP.clientKey,
				publish_id: publishId,
				publish_type: 'DIRECT_POST',
				post_id: postId,
				post_ids: [postId],
				post_url: `https://www.tiktok.com/@/video/${postId}`,
				post_urls: [`https://www.tiktok.com/@/video/${postId}`],
				content: { publish_id: publishId, post_id: postId, publish_type: 'DIRECT_POST' },
			});
			expect(new Date(available.create_time).getTime()).toBe(available.create_time_unix * 1000);
			expect(Math.abs(available.create_time_unix - Date.now() / 1000)).toBeLessThan(120);
			const complete = runs.find((run) => run.item.event === 'post.publish.complete')?.item;
			expect(complete).toMatchObject({
				publish_id: publishId,
				publish_type: 'DIRECT_POST',
				post_id: null,
				post_ids: [],
				post_urls: [],
			});
		},
		TEST_MS,
	);

	it(
		'a failed post: post.publish.failed with TikTok’s reason, a fail_message and a hint',
		async () => {
			await control('config', { nextFailReason: 'file_format_check_failed' });
			const publishId = await createPost('public');
			await waitForDeliveries((d) => d.publish_id === publishId && d.status === 200, 1);
			const runs = await settledRuns(main.id, forPost(publishId), 1);
			expect(runs).toHaveLength(1);
			expect(runs[0].item).toMatchObject({
				event: 'post.publish.failed',
				publish_id: publishId,
				reason: 'file_format_check_failed',
				fail_reason: 'file_format_check_failed',
				fail_message: expect.stringContaining('file_format_check_failed'),
				hint: expect.any(String),
				post_ids: [],
			});
		},
		TEST_MS,
	);

	it(
		'a draft: inbox_delivered (INBOX_SHARE), then complete once the creator posts it from the inbox',
		async () => {
			const publishId = await createPost('draft');
			await waitForDeliveries((d) => d.publish_id === publishId && d.status === 200, 1);
			const delivered = await settledRuns(main.id, forPost(publishId), 1);
			expect(delivered.map((run) => [run.item.event, run.item.publish_type])).toEqual([
				['post.publish.inbox_delivered', 'INBOX_SHARE'],
			]);
			await control(`drafts/${encodeURIComponent(publishId)}/publish`);
			await waitForDeliveries((d) => d.publish_id === publishId && d.status === 200, 2);
			const runs = await settledRuns(main.id, forPost(publishId), 2);
			expect(runs.map((run) => [run.item.event, run.item.publish_type]).sort()).toEqual([
				['post.publish.complete', 'INBOX_SHARE'],
				['post.publish.inbox_delivered', 'INBOX_SHARE'],
			]);
		},
		TEST_MS,
	);

	it(
		'a public post made private: no_longer_publicaly_available with the same post_id',
		async () => {
			const publishId = await createPost('public');
			await waitForDeliveries((d) => d.publish_id === publishId && d.status === 200, 2);
			await control(`posts/${encodeURIComponent(publishId)}/unpublish`);
			await waitForDeliveries((d) => d.publish_id === publishId && d.status === 200, 3);
			const runs = await settledRuns(main.id, forPost(publishId), 3);
			const available = runs.find(
				(run) => run.item.event === 'post.publish.publicly_available',
			)?.item;
			const gone = runs.filter(
				(run) => run.item.event === 'post.publish.no_longer_publicaly_available',
			);
			expect(runs).toHaveLength(3);
			expect(gone).toHaveLength(1);
			expect(gone[0].item).toMatchObject({
				post_id: available.post_id,
				post_url: available.post_url,
				publish_type: 'DIRECT_POST',
			});
		},
		TEST_MS,
	);

	it(
		'authorization.removed: the developer revoking a token (5) and a user disconnecting (1), with the meaning',
		async () => {
			const revoker = `revoker-${randomUUID()}`;
			const pair = await control('tokens', { openId: revoker });
			const revoked = await fetch(`${emulator.url}/v2/oauth/revoke/`, {
				method: 'POST',
				headers: { 'content-type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams({
					client_key: APP.clientKey,
					client_secret: APP.clientSecret,
					token: pair.access_token,
				}).toString(),
			});
			expect(revoked.status).toBe(200);
			const leaver = `leaver-${randomUUID()}`;
			await control('authorization/remove', { openId: leaver, reason: 1 });
			const [byDeveloper] = await settledRuns(main.id, forUser(revoker), 1);
			const [byUser] = await settledRuns(main.id, forUser(leaver), 1);
			expect(byDeveloper.item).toMatchObject({
				event: 'authorization.removed',
				reason: 5,
				reason_message: 'The developer revoked the authorization',
			});
			expect(byUser.item).toMatchObject({
				event: 'authorization.removed',
				reason: 1,
				reason_message: 'The user disconnected the app',
			});
			expect(byUser.item).not.toHaveProperty('publish_id');
			expect(
				(await runsOf(main.id)).runs.filter((run) =>
					[revoker, leaver].includes(run.item.user_openid),
				),
			).toHaveLength(2);
		},
		TEST_MS,
	);
});

describe('TikTok Trigger: at least once in, exactly once out', () => {
	it(
		'two extra copies of every event, arriving together, still run the workflow once per event',
		async () => {
			await deliverTo(main, { duplicateDeliveries: 2 });
			const publishId = await createPost('private');
			const copies = await waitForDeliveries(
				(d) => d.publish_id === publishId && d.status === 200,
				3,
			);
			expect(new Set(copies.map((copy) => copy.id)).size).toBe(3);
			const runs = await settledRuns(main.id, forPost(publishId), 1);
			expect(runs.map((run) => run.item.event)).toEqual(['post.publish.complete']);
		},
		TEST_MS,
	);

	it(
		'a redelivery after n8n did not answer 2xx runs once (first attempt to a wrong path, then the right one)',
		async () => {
			const user = `retry-${randomUUID()}`;
			await deliverTo(main, {
				url: `${n8n.baseUrl}/webhook/${randomUUID()}/webhook`,
				retryDelayMs: 1500,
			});
			await control('authorization/remove', { openId: user, reason: 3 });
			const [first] = await waitForDeliveries((d) => d.body.includes(user), 1);
			expect(first).toMatchObject({ attempt: 1, status: 404 });
			await deliverTo(main, { retryDelayMs: 1500 });
			const attempts = await waitForDeliveries((d) => d.body.includes(user), 2);
			expect(attempts.map((d) => [d.id, d.attempt, d.status])).toEqual([
				[first.id, 1, 404],
				[first.id, 2, 200],
			]);
			expect(await settledRuns(main.id, forUser(user), 1)).toHaveLength(1);
		},
		TEST_MS,
	);

	it(
		'a redelivery with a new signature and a byte-for-byte replay of an accepted delivery do not run again',
		async () => {
			const user = `replay-${randomUUID()}`;
			await control('authorization/remove', { openId: user, reason: 2 });
			const [accepted] = await waitForDeliveries(
				(d) => d.body.includes(user) && d.status === 200,
				1,
			);
			expect(await settledRuns(main.id, forUser(user), 1)).toHaveLength(1);
			const redelivered = await control('webhooks/send', {
				body: accepted.body,
				signature: 'valid',
			});
			expect(redelivered.signature).not.toBe(accepted.signature);
			const replayed = await control(`webhooks/${accepted.id}/replay`);
			expect(replayed.signature).toBe(accepted.signature);
			for (const answer of [redelivered, replayed]) {
				expect(answer.status).toBe(200);
				expect(JSON.parse(answer.responseBody)).toEqual({ received: true, duplicate: true });
			}
			expect(await settledRuns(main.id, forUser(user), 1)).toHaveLength(1);
		},
		TEST_MS,
	);
});

describe('TikTok Trigger: what it refuses', () => {
	async function expectNoRunsWhile(action: () => Promise<void>): Promise<void> {
		const before = (await runsOf(main.id)).executions;
		await action();
		await sleep(SETTLE_MS);
		expect((await runsOf(main.id)).executions).toBe(before);
	}

	it(
		'a wrong or missing signature: 401, nothing runs (TikTok keeps retrying)',
		async () => {
			const user = `forged-${randomUUID()}`;
			await expectNoRunsWhile(async () => {
				await deliverTo(main, { badSignature: true, retries: 1, retryDelayMs: 100 });
				await control('authorization/remove', { openId: user, reason: 1 });
				const attempts = await waitForDeliveries((d) => d.body.includes(user), 2);
				expect(attempts.map((d) => d.status)).toEqual([401, 401]);
				const unsigned = await control('webhooks/send', {
					body: attempts[0].body,
					signature: 'none',
				});
				expect(unsigned.status).toBe(401);
				const garbled = await control('webhooks/send', {
					body: attempts[0].body,
					signature: 'v1=abc',
				});
				expect(garbled.status).toBe(401);
				expect(JSON.parse(garbled.responseBody)).toEqual({
					error: 'unauthorized',
					message: expect.stringContaining('TikTok-Signature'),
				});
			});
			expect((await runsOf(main.id)).runs.filter((run) => run.item.user_openid === user)).toEqual(
				[],
			);
		},
		TEST_MS,
	);

	it(
		'a stale (10 minutes old) or far-future signature timestamp: 401, nothing runs',
		async () => {
			for (const timestampSkewSec of [-600, 600]) {
				const user = `skewed-${timestampSkewSec}-${randomUUID()}`;
				await expectNoRunsWhile(async () => {
					await deliverTo(main, { timestampSkewSec, retries: 0 });
					await control('authorization/remove', { openId: user, reason: 1 });
					const [attempt] = await waitForDeliveries((d) => d.body.includes(user), 1);
					expect(attempt.status).toBe(401);
				});
			}
		},
		TEST_MS,
	);

	it(
		'a signed body that is not TikTok’s envelope, or is for another client_key: 400, nothing runs',
		async () => {
			const envelope = (overrides: Record<string, unknown>) =>
				JSON.stringify({
					client_key: APP.clientKey,
					event: 'authorization.removed',
					create_time: Math.floor(Date.now() / 1000),
					user_openid: 'u',
					content: '{"reason":1}',
					...overrides,
				});
			await expectNoRunsWhile(async () => {
				const refused: Array<[unknown, string | undefined]> = [
					['{not json', 'text/plain'],
					[{ hello: 'world' }, undefined],
					[envelope({ client_key: 'another-app' }), undefined],
					[envelope({ content: { reason: 1 } }), undefined],
					[envelope({ create_time: 'yesterday' }), undefined],
					[envelope({ content: 'not json' }), undefined],
				];
				for (const [body, contentType] of refused) {
					const answer = await control('webhooks/send', { body, contentType });
					expect([answer.status, JSON.parse(answer.responseBody).error]).toEqual([
						400,
						'bad_request',
					]);
				}
				// Unparsable JSON declared as JSON is refused by n8n itself, before the trigger sees it.
				expect((await control('webhooks/send', { body: '{not json' })).status).toBe(422);
			});
		},
		TEST_MS,
	);

	it(
		'events it does not listen to: 200 and no run (the Refresh Token credential’s trigger, failed only)',
		async () => {
			await deliverTo(filtered);
			const before = (await runsOf(filtered.id)).executions;
			const publishId = await createPost('private');
			const [ignored] = await waitForDeliveries(
				(d) => d.publish_id === publishId && d.status === 200,
				1,
			);
			expect(ignored.event).toBe('post.publish.complete');
			await sleep(SETTLE_MS);
			expect((await runsOf(filtered.id)).executions).toBe(before);

			await deliverTo(filtered, {}, { nextFailReason: 'video_pull_failed' });
			const failedId = await createPost('private');
			await waitForDeliveries((d) => d.publish_id === failedId && d.status === 200, 1);
			const runs = await settledRuns(filtered.id, forPost(failedId), 1);
			expect(runs.map((run) => [run.item.event, run.item.reason])).toEqual([
				['post.publish.failed', 'video_pull_failed'],
			]);
			expect((await runsOf(filtered.id)).executions).toBe(before + 1);
		},
		TEST_MS,
	);
});

describe('TikTok Trigger: records and secrets', () => {
	it(
		'keeps one record per accepted delivery in the workflow’s static data, as n8n saved it',
		async () => {
			const { runs, executions } = await runsOf(main.id);
			expect(runs.length).toBe(executions);
			const workflow = await n8n.rest.request<{ staticData?: Json }>(
				'GET',
				`/rest/workflows/${main.id}`,
			);
			const records = workflow.staticData?.[`node:${TRIGGER}`]?.deliveries ?? {};
			expect(Object.keys(records)).toHaveLength(executions);
			for (const at of Object.values(records))
				expect(Math.abs(Number(at) - Date.now() / 1000)).toBeLessThan(900);
		},
		TEST_MS,
	);

	it(
		'never puts the client secret or the tokens into executions or the n8n log',
		async () => {
			const secrets = [
				APP.clientSecret,
				tokens.access_token,
				tokens.refresh_token,
				refreshTokens.refresh_token,
			];
			const all = [...(await runsOf(main.id)).runs, ...(await runsOf(filtered.id)).runs];
			expect(all.length).toBeGreaterThan(10);
			const text = JSON.stringify(all.map((run) => run.data)) + n8n.readLog();
			for (const secret of secrets) expect(text).not.toContain(secret);
		},
		TEST_MS,
	);
});

describe('templates', () => {
	it(
		'“Post a video without waiting” posts; “React to TikTok’s verdict” then runs once per event for that publish_id',
		async () => {
			const poster = loadWorkflow('post-without-waiting.json', TEMPLATES);
			for (const node of poster.nodes) {
				if (node.type === 'n8n-nodes-base.webhook') node.webhookId = randomUUID();
				if (node.type === 'n8n-nodes-tiktok-posting.tikTok') useCredential(node, 'oAuth2');
			}
			await n8n.importWorkflow(poster);
			const verdictWorkflow = loadWorkflow('react-to-verdict.json', TEMPLATES);
			useCredential(
				verdictWorkflow.nodes.find((node) => node.name === TRIGGER) as Record<string, unknown>,
				'oAuth2',
			);
			const verdict = await publishTrigger(verdictWorkflow);
			await deliverTo(verdict);

			const video = await writeFileOfSize(join(n8n.filesDir, 'template-video.mp4'), 1024 * 1024);
			const posted = await n8n.runWebhook('post-to-tiktok', {
				file: video.path,
				caption: 'From the template #n8n',
				privacy: 'PUBLIC_TO_EVERYONE',
			});
			expect(posted.status).toBe(200);
			const publishId = (posted.json as Json).publish_id as string;
			expect(publishId).toMatch(/^v_pub_file~/);
			const post = ((await state()).posts as Json[]).find(
				(candidate) => candidate.publish_id === publishId,
			);
			expect(post).toMatchObject({
				sha256: video.sha256,
				post_info: expect.objectContaining({ privacy_level: 'PUBLIC_TO_EVERYONE' }),
			});

			await waitForDeliveries((d) => d.publish_id === publishId && d.status === 200, 2);
			const runs = await settledRuns(verdict.id, forPost(publishId), 2);
			expect(runs.map((run) => run.item.event).sort()).toEqual([
				'post.publish.complete',
				'post.publish.publicly_available',
			]);
			const live = runs.find((run) => run.item.event === 'post.publish.publicly_available') as Run;
			const postId = live.item.post_id as string;
			expect(live.nodes["Tell the team: it's live"].json).toEqual([
				{
					message: `Your TikTok is live: https://www.tiktok.com/@/video/${postId}`,
					publish_id: publishId,
					event: 'post.publish.publicly_available',
				},
			]);
			const published = runs.find((run) => run.item.event === 'post.publish.complete') as Run;
			expect(published.nodes['Tell the team: published'].json[0].message).toBe(
				`TikTok published ${publishId} (direct post).`,
			);
			for (const run of runs) expect(run.nodes['Nothing to do']).toBeUndefined();
		},
		TEST_MS,
	);
});

describe('after n8n is killed and started again', () => {
	it(
		'a redelivery of an event accepted before the crash still does not run; a new event runs once',
		async () => {
			const user = `before-crash-${randomUUID()}`;
			await control('authorization/remove', { openId: user, reason: 1 });
			const [accepted] = await waitForDeliveries(
				(d) => d.body.includes(user) && d.status === 200,
				1,
			);
			expect(await settledRuns(main.id, forUser(user), 1)).toHaveLength(1);

			// As an OOM kill would: no shutdown, the process's memory of deliveries is gone.
			const crashed = n8n;
			crashed.removeUserFolderOnStop = false;
			killGroup(crashed.process, 'SIGKILL');
			await crashed.stop();
			n8n = await startN8n({ name: 'trigger-restarted', userFolder: crashed.userFolder });
			n8n.removeUserFolderOnStop = true;
			await n8n.login();
			await n8n.waitForWebhook(main.path, 'POST');
			await deliverTo(main);

			const redelivered = await control('webhooks/send', { body: accepted.body });
			expect([redelivered.status, JSON.parse(redelivered.responseBody)]).toEqual([
				200,
				{ received: true, duplicate: true },
			]);
			const newcomer = `after-crash-${randomUUID()}`;
			await control('authorization/remove', { openId: newcomer, reason: 1 });
			expect(await settledRuns(main.id, forUser(newcomer), 1)).toHaveLength(1);
			expect(await settledRuns(main.id, forUser(user), 1)).toHaveLength(1);
		},
		N8N_START_TIMEOUT_MS,
	);
});
