/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The node in n8n's queue mode (the scaling setup: PostgreSQL, Redis, one main that takes the
// webhooks and enqueues, two `n8n worker` processes that run the executions; queue-mode.ts).
//
// 1. The node suites that matter, each execution proven to have run on a worker: Post Video from
//    binary (Read/Write Files → TikTok, n8n's queue-mode default binary mode `database`), Post
//    Video from a URL uploaded in chunks by the worker (a local media server; nothing stored in
//    n8n's database), Post Photos (URL), Get Status.
// 2. Credential concurrency across processes: 8 executions of one credential meet the expired
//    token at once, spread over both workers. The node serialises refreshes per credential only
//    within one process (refreshGate.ts), so each worker refreshes: under 'reject' the loser's
//    refresh is refused and the node retries (1.5 s, 4 s) with the stored tokens: all 8 must
//    succeed. Under 'revoke-grant' the second refresh makes TikTok revoke the whole grant: that is
//    measured over several rounds, not asserted beyond what the design guarantees.
// 3. Webhook answers while the main is briefly paused: n8n's own race, closed by the harness's
//    setting (QUEUE_JOBS_KEPT), which the README recommends to queue-mode users.
// 4. A worker SIGKILLed mid-upload: what n8n shows, what TikTok holds, what a re-run does.
//
// Results: test-results/e2e/queue-mode.md. Run: `npm run test:queue` (not part of `npm test`).
import { randomUUID } from 'crypto';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { credentialLab, type ProofWorkflow } from './credential-lab';
import { writeFileOfSize } from './files';
import type { ExecutionDetails } from './harness';
import { startMediaServer } from './media-server';
import { CREDENTIAL_ID, emulatorOAuth2Credential, startNodeStack, type Json, type NodeStack } from './node-stack';
import { REPO_ROOT } from './package-install';
import { QUEUE_JOBS_KEPT, QUEUE_START_TIMEOUT_MS, startQueueMode, type N8nWorker, type QueueMode } from './queue-mode';

const MiB = 1024 * 1024;
const CONCURRENT = 8;
const PAST_EXPIRY = 2 * 3600 + 600;
const REJECT_ROUNDS = 2;
const REVOKE_GRANT_ROUNDS = 5;
const ROUND_TIMEOUT_MS = 180_000;
/** A burst's execution ends within seconds; its webhook answer is awaited this long, then counted lost. */
const ANSWER_TIMEOUT_MS = 60_000;

let queue: QueueMode | undefined;
let stack: NodeStack;
const suiteStartedAt = Date.now();
let startupMs = 0;
const lab = credentialLab(() => ({ emulator: stack.emulator, n8n: stack.n8n }));

/** What the report shows: which worker ran what, the concurrency table, the kill row. */
const placements: Array<{ test: string; executionId: string; status: string; worker: string; enqueued: boolean }> = [];
const concurrencyRows: ConcurrencyRow[] = [];
const killRows: Array<[string, string]> = [];
const pauseRows: Array<[string, string]> = [];

interface ConcurrencyRow {
	credential: string;
	reuse: string;
	round: number;
	perWorker: string;
	succeeded: number;
	refreshes: string;
	grantRevoked: boolean;
	failures: string;
	/** Webhook calls n8n's main never answered (the executions are judged from the database). */
	answersLost: number;
}

beforeAll(async () => {
	const started = Date.now();
	stack = await startNodeStack({
		name: 'queue',
		launch: async (options) => {
			queue = await startQueueMode({ name: 'queue', credentials: options.credentials });
			return queue.main;
		},
	});
	startupMs = Date.now() - started;
}, QUEUE_START_TIMEOUT_MS);

afterAll(async () => {
	writeReport();
	await stack?.stop();
	await queue?.stop();
}, 120_000);

const q = () => {
	if (!queue) throw new Error('queue mode did not start');
	return queue;
};

/** Execution ids of the main's database, newest first. */
async function executionIds(workflowId?: string, limit = 50): Promise<string[]> {
	return (await q().main.listExecutions(workflowId, limit)).map((execution) => execution.id);
}

/** Waits (bounded) until the execution is no longer running, then returns it. */
async function finishedExecution(id: string, timeoutMs = 30_000): Promise<ExecutionDetails> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await q().main.getExecution(id);
		if (!['new', 'running'].includes(execution.status) || Date.now() > deadline) return execution;
		await sleep(250);
	}
}

/**
 * A webhook call with its own bound (the REST client's is 2 minutes): status 0 when no answer came,
 * so a caller can judge the execution from the database instead.
 */
async function callWebhook(path: string, body: unknown, timeoutMs: number): Promise<{ status: number; text: string; ms: number }> {
	const started = Date.now();
	try {
		const response = await fetch(`${q().main.baseUrl}/webhook/${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		return { status: response.status, text: await response.text(), ms: Date.now() - started };
	} catch (error) {
		return { status: 0, text: `no answer: ${(error as Error).message}`, ms: Date.now() - started };
	}
}

/** Runs a node-<name>.json fixture, returns its items and the one new execution with the worker that ran it. */
async function runOnWorker(test: string, name: string, body: Record<string, unknown>) {
	const before = new Set(await executionIds());
	const result = await stack.run(name, body);
	const fresh = (await executionIds()).filter((id) => !before.has(id));
	expect(fresh).toHaveLength(1);
	const [executionId] = fresh;
	const execution = await finishedExecution(executionId);
	const worker = await q().runnerOf(executionId);
	const enqueued = q().enqueued(executionId);
	placements.push({ test, executionId, status: execution.status, worker: worker.name, enqueued });
	expect(enqueued).toBe(true);
	return { ...result, execution, worker };
}

describe('queue mode: executions run on the workers', () => {
	it('starts PostgreSQL, Redis, a main and two workers, binary data in `database` mode', () => {
		expect(q().workers).toHaveLength(2);
		expect(q().workers.every((worker) => worker.running)).toBe(true);
		expect(q().main.readLog()).not.toMatch(/Worker started execution/);
	});

	it('Post Video from binary (Read/Write Files → TikTok, direct post): the bytes arrive intact', async () => {
		await stack.reset();
		const video = await writeFileOfSize(join(q().filesDir, 'queue-video.mp4'), 25 * MiB + 3, 31);
		const mark = await stack.mark();
		const { status, items, execution } = await runOnWorker('Post Video (binary, direct post)', 'node-video-file-directPost', {
			files: [{ file: video.path }],
			privacy: 'SELF_ONLY',
			title: 'Queue mode',
			wait: true,
		});
		expect(status).toBe(200);
		expect(items[0].error).toBeUndefined();
		expect(items[0]).toMatchObject({ post_mode: 'DIRECT_POST', source: 'FILE_UPLOAD', status: 'PUBLISH_COMPLETE', video_size: video.bytes });
		const { posts } = await stack.since(mark);
		expect(posts).toHaveLength(1);
		expect(posts[0].sha256).toBe(video.sha256);
		// Queue mode's default binary data mode: the file went through n8n's database.
		const binary = execution.nodes['Read Video File'].binary[0] as { data: { id?: string } };
		expect(binary.data.id).toMatch(/^database:/);
	}, 180_000);

	it('Post Video from a URL, uploaded in chunks by the worker: the bytes arrive intact, nothing goes into n8n\'s database', async () => {
		await stack.reset();
		const video = await writeFileOfSize(join(q().filesDir, 'queue-url-video.mp4'), 25 * MiB + 5, 37);
		const media = await startMediaServer({ 'queue-url-video.mp4': video.path });
		try {
			const storedBytes = async () =>
				Number((await q().postgres.query<{ bytes: string }>('SELECT coalesce(sum(octet_length(data)), 0)::bigint AS bytes FROM binary_data'))[0].bytes);
			const storedBefore = await storedBytes();
			const mark = await stack.mark();
			const { status, items, execution } = await runOnWorker('Post Video (URL, uploaded in chunks)', 'node-sheet-video-url-upload', {
				rows: [{ url: media.url('queue-url-video.mp4'), privacy: 'SELF_ONLY', caption: 'Queue mode, from a URL', wait: true, pollSeconds: 2 }],
			});
			expect(status).toBe(200);
			expect(items[0].error).toBeUndefined();
			// Up to 64 MB a video goes in one piece (TikTok's rule); many chunks from a URL on a worker: bench:queue's URL rows.
			expect(items[0]).toMatchObject({ post_mode: 'DIRECT_POST', source: 'FILE_UPLOAD', status: 'PUBLISH_COMPLETE', video_size: video.bytes, total_chunk_count: 1 });
			const { posts } = await stack.since(mark);
			expect(posts).toHaveLength(1);
			expect(posts[0].sha256).toBe(video.sha256);
			// The worker read the file itself, once, without any credential; n8n stored none of it.
			expect(media.requests.flatMap((request) => request.credentialHeaders)).toEqual([]);
			expect(media.requests.filter((request) => request.method === 'GET' && !request.range)).toHaveLength(1);
			expect(execution.nodes.TikTok.binary.filter(Boolean)).toEqual([]);
			expect((await storedBytes()) - storedBefore).toBeLessThan(MiB);
		} finally {
			await media.close();
		}
	}, 180_000);

	it('Post Photos (URL), direct post, waiting for the public post id', async () => {
		await stack.reset();
		const photo = (n: number) => stack.emulator.mediaUrl(`photo-${n}.jpg`);
		const { items } = await runOnWorker('Post Photos (URL)', 'node-photo-direct-post', {
			photos: [photo(1), photo(2)],
			cover: 0,
			title: 'Queue photos',
			privacy: 'PUBLIC_TO_EVERYONE',
			wait: true,
		});
		expect(items[0].error).toBeUndefined();
		expect(items[0]).toMatchObject({ post_mode: 'DIRECT_POST', status: 'PUBLISH_COMPLETE' });
	}, 120_000);

	it('Get Status waits until the post is final', async () => {
		await stack.reset();
		const posted = await runOnWorker('Post Photos (URL), no wait', 'node-photo-direct-post', {
			photos: [stack.emulator.mediaUrl('photo-3.jpg')],
			privacy: 'SELF_ONLY',
		});
		const publishId = posted.items[0].publish_id;
		expect(publishId).toMatch(/^p_pub_url/);
		const { items } = await runOnWorker('Get Status (wait)', 'node-get-status', { publishId, wait: true });
		expect(items[0]).toMatchObject({ publish_id: publishId, status: 'PUBLISH_COMPLETE' });
	}, 120_000);
});

// ---------------------------------------------------------------------------------------------
// Credential concurrency across two workers
// ---------------------------------------------------------------------------------------------

type Kind = 'tikTokRefreshTokenApi' | 'tikTokOAuth2Api';
type Reuse = 'reject' | 'revoke-grant';

interface EmulatorRefreshState {
	refreshes: Array<{ outcome: string }>;
	grants: Array<{ revoked: boolean; revoked_reason: string | null }>;
}

/** 8 executions at once; each one's outcome from n8n's database and its worker from the logs. */
async function burst(workflow: ProofWorkflow) {
	const before = new Set(await executionIds(workflow.id));
	const refreshesBefore = (await lab.emulatorCall<EmulatorRefreshState>('GET', '/__emulator/state')).refreshes.length;
	// Judged by what n8n's database holds, not by the webhooks' answers: an answer lost by n8n's
	// main (see QUEUE_JOBS_KEPT) is counted in the report instead of failing the round.
	const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => callWebhook(workflow.path, {}, ANSWER_TIMEOUT_MS)));
	const ids = (await executionIds(workflow.id)).filter((id) => !before.has(id));
	expect(ids).toHaveLength(CONCURRENT);
	const runs = await Promise.all(
		ids.map(async (id) => {
			const execution = await finishedExecution(id);
			const error = execution.nodes.TikTok?.error ?? execution.error ?? {};
			return {
				id,
				status: execution.status,
				ok: execution.status === 'success' && JSON.stringify(execution.nodes.TikTok?.json ?? []).includes('Emulator Creator'),
				error: [error.message, error.description].filter(Boolean).join(' — '),
				worker: (await q().runnerOf(id)).name,
			};
		}),
	);
	const state = await lab.emulatorCall<EmulatorRefreshState>('GET', '/__emulator/state');
	const refreshes = state.refreshes.slice(refreshesBefore);
	const answersLost = answers.filter((answer) => answer.status === 0).length;
	return { answersLost, runs, refreshes, grantRevoked: state.grants.some((grant) => grant.revoked) };
}

function outcomeCounts(refreshes: Array<{ outcome: string }>): string {
	const counts = new Map<string, number>();
	for (const refresh of refreshes) counts.set(refresh.outcome, (counts.get(refresh.outcome) ?? 0) + 1);
	return `${refreshes.length} (${[...counts].map(([outcome, count]) => `${count} ${outcome}`).join(', ')})`;
}

async function concurrencyRound(kind: Kind, reuse: Reuse, round: number) {
	await lab.configureEmulator({
		clientKeyIn: 'body-or-query', // n8n's own OAuth2 refresh can only work this way (credential matrix)
		refreshRotation: 'rotate-and-revoke-old',
		refreshTokenReuse: reuse,
		rateLimits: false,
	});
	const credential = await lab.readyCredential(kind, `queue ${kind} ${reuse} ${round} ${randomUUID().slice(0, 8)}`);
	const workflow = await lab.creatorInfoWorkflow(credential);
	lab.expectCreatorInfo(await lab.runProof(workflow)); // stores an access token
	await lab.advanceClock(PAST_EXPIRY);
	const result = await burst(workflow);
	const perWorker = q().workers.map((worker) => `${worker.name}: ${result.runs.filter((run) => run.worker === worker.name).length}`);
	// Failures by TikTok's code (the first "(code)" in the node's message), counted.
	const failureCounts = new Map<string, number>();
	for (const run of result.runs.filter((candidate) => !candidate.ok)) {
		const code = /\(([a-z_]+)\)/.exec(run.error)?.[1] ?? (run.error.slice(0, 80) || run.status);
		failureCounts.set(code, (failureCounts.get(code) ?? 0) + 1);
	}
	const failures = [...failureCounts].map(([code, count]) => `${count}× ${code}`);
	const row: ConcurrencyRow = {
		credential: kind,
		reuse,
		round,
		perWorker: perWorker.join(', '),
		succeeded: result.runs.filter((run) => run.ok).length,
		refreshes: outcomeCounts(result.refreshes),
		grantRevoked: result.grantRevoked,
		failures: failures.join(', ') || '-',
		answersLost: result.answersLost,
	};
	concurrencyRows.push(row);
	// What is guaranteed whatever the reuse policy: every execution ended, the burst was spread
	// over both workers (that is the point), and a failure says what to do about the credential.
	expect(result.runs.every((run) => run.status === 'success' || run.status === 'error')).toBe(true);
	expect(new Set(result.runs.map((run) => run.worker)).size).toBe(2);
	for (const run of result.runs.filter((candidate) => !candidate.ok)) lab.expectActionableFailure({ ok: false, output: '', error: run.error }, /connect|refresh token/i);
	return row;
}

describe(`queue mode: ${CONCURRENT} executions of one credential at the expiry, spread over two workers`, () => {
	const kinds: Kind[] = ['tikTokRefreshTokenApi', 'tikTokOAuth2Api'];

	describe.each(kinds)('%s', (kind) => {
		it.each(Array.from({ length: REJECT_ROUNDS }, (_, index) => index + 1))(
			"refreshTokenReuse 'reject', round %i: all 8 succeed (the refused refresh is retried with the stored tokens)",
			async (round) => {
				const row = await concurrencyRound(kind, 'reject', round);
				expect(row).toMatchObject({ succeeded: CONCURRENT, grantRevoked: false });
			},
			ROUND_TIMEOUT_MS,
		);

		it.each(Array.from({ length: REVOKE_GRANT_ROUNDS }, (_, index) => index + 1))(
			"refreshTokenReuse 'revoke-grant', round %i: measured (two processes may both refresh)",
			async (round) => {
				const row = await concurrencyRound(kind, 'revoke-grant', round);
				// Without a revoked grant nothing can have failed; with one, nothing more is promised.
				if (!row.grantRevoked) expect(row.succeeded).toBe(CONCURRENT);
			},
			ROUND_TIMEOUT_MS,
		);
	});
});

// ---------------------------------------------------------------------------------------------
// Webhook answers while the main is busy (n8n's own race, closed by QUEUE_JOBS_KEPT)
// ---------------------------------------------------------------------------------------------

const PAUSE_ROUNDS = 80;
const PAUSE_MS = 1000;
const PAUSE_BUDGET_MS = 200_000;

describe('queue mode: webhook answers while the main is busy', () => {
	it(`a main paused for ${PAUSE_MS} ms right after ${CONCURRENT} webhook calls still answers every one (ended jobs kept in Redis)`, async () => {
		// No TikTok node: this is n8n's own behaviour, which the README tells queue-mode users about.
		// With n8n's default (no ended job kept) the same rounds lost answers (see test/e2e/README.md).
		const path = `busy-main-${randomUUID()}`;
		const imported = await q().main.importWorkflow({
			name: 'Busy main: Webhook → No Op',
			nodes: [
				{ parameters: { httpMethod: 'POST', path, responseMode: 'lastNode', options: {} }, name: 'Webhook', type: 'n8n-nodes-base.webhook', typeVersion: 2, position: [0, 0], webhookId: randomUUID(), id: randomUUID() },
				{ parameters: {}, name: 'No Op', type: 'n8n-nodes-base.noOp', typeVersion: 1, position: [240, 0], id: randomUUID() },
			],
			connections: { Webhook: { main: [[{ node: 'No Op', type: 'main', index: 0 }]] } },
			settings: { executionOrder: 'v1' },
		}, { activate: true });
		const mainGroup = q().main.process.pid;
		if (!mainGroup) throw new Error('the main has no pid');
		const started = Date.now();
		let calls = 0;
		let lost = 0;
		let otherThan200 = 0;
		let rounds = 0;
		for (; rounds < PAUSE_ROUNDS && Date.now() - started < PAUSE_BUDGET_MS; rounds++) {
			const pause = (async () => {
				await sleep(Math.random() * 60); // somewhere in the main's handling of the calls
				process.kill(-mainGroup, 'SIGSTOP');
				try {
					await sleep(PAUSE_MS);
				} finally {
					process.kill(-mainGroup, 'SIGCONT');
				}
			})();
			const answers = await Promise.all(Array.from({ length: CONCURRENT }, () => callWebhook(path, {}, 20_000)));
			await pause;
			calls += answers.length;
			lost += answers.filter((answer) => answer.status === 0).length;
			otherThan200 += answers.filter((answer) => answer.status !== 0 && answer.status !== 200).length;
		}
		const executions = await q().main.listExecutions(imported.id, 100);
		pauseRows.push([`${rounds} rounds of ${CONCURRENT} calls, the main paused ${PAUSE_MS} ms in each`, `${lost} of ${calls} calls unanswered, ${otherThan200} answered other than 200; the newest ${executions.length} executions: ${executions.filter((execution) => execution.status === 'success').length} succeeded`]);
		expect(lost).toBe(0);
		expect(otherThan200).toBe(0);
		expect(rounds).toBeGreaterThanOrEqual(40);
		expect(executions.length).toBeGreaterThan(0);
		expect(executions.every((execution) => execution.status === 'success')).toBe(true);
	}, PAUSE_BUDGET_MS + 60_000);
});

// ---------------------------------------------------------------------------------------------
// A worker killed mid-upload
// ---------------------------------------------------------------------------------------------

function logSince(worker: N8nWorker, offset: number): string {
	return readFileSync(worker.logFile).subarray(offset).toString();
}

describe('queue mode: a worker killed with SIGKILL mid-upload', () => {
	it('leaves a partial upload at TikTok; n8n reports the execution failed; a re-run posts again', async () => {
		// The credential suites reset the emulator, which forgot the stack credential's tokens: new ones.
		await stack.reset();
		const tokens = await stack.control('tokens', {});
		await q().main.importCredentials([emulatorOAuth2Credential(CREDENTIAL_ID, 'TikTok (emulator)', stack.emulator.url, tokens)]);

		const video = await writeFileOfSize(join(q().filesDir, 'killed.mp4'), 70 * MiB, 41);
		await stack.control('faults', { faults: [{ method: 'PUT', path: '/video/', chunkIndex: 2, throttleBytesPerSecond: 1048576 }] });
		const mark = await stack.mark();
		const offsets = q().workers.map((worker) => statSync(worker.logFile).size);
		const body = { files: [{ file: video.path }], privacy: 'SELF_ONLY', title: 'Killed worker' };
		const pending = callWebhook('node-video-file-directPost', body, 240_000);

		// Chunks 0 and 1 are in; chunk 2 trickles in at 1 MiB/s (10 s): kill during it.
		let chunksIn = 0;
		for (let i = 0; i < 240 && chunksIn < 2; i++) {
			const { posts } = await stack.since(mark);
			chunksIn = (posts[0]?.upload?.chunks ?? []).filter((chunk: Json) => chunk.status === 206).length;
			if (chunksIn < 2) await sleep(250);
		}
		expect(chunksIn).toBe(2);
		await sleep(2_000);
		const victimIndex = q().workers.findIndex((worker, index) => /Worker started execution \d+/.test(logSince(worker, offsets[index])));
		expect(victimIndex).toBeGreaterThanOrEqual(0);
		const victim = q().workers[victimIndex];
		const executionId = /Worker started execution (\d+)/.exec(logSince(victim, offsets[victimIndex]))![1];
		const killedAt = Date.now();
		victim.kill('SIGKILL');

		const answer = await pending;
		const answeredAfterKillMs = Date.now() - killedAt;
		const execution = await finishedExecution(executionId, 120_000);
		const nExecutionMs = Date.now() - killedAt;
		const afterKill = await stack.since(mark);
		const partial = afterKill.posts[0];
		const chunkStates = (partial.upload?.chunks ?? []).map((chunk: Json) => `${chunk.index}:${chunk.status}`).join(' ');

		// The user re-runs the workflow (the surviving worker takes it).
		const rerunOffsets = q().workers.map((worker) => statSync(worker.logFile).size);
		const rerun = await callWebhook('node-video-file-directPost', { ...body, wait: true }, 240_000);
		const rerunWorker = q().workers.find((worker, index) => /Worker started execution \d+/.test(logSince(worker, rerunOffsets[index])));
		const all = await stack.since(mark);
		const published = all.posts.filter((post: Json) => post.status === 'PUBLISH_COMPLETE');
		const errorText = [execution.error?.message, execution.error?.description].filter(Boolean).join(' — ');

		killRows.push(
			['killed', `${victim.name} (pid ${victim.pid}), execution ${executionId}, 2 s into chunk 2 of 7 (10 MiB chunks, 70 MiB, chunk 2 throttled to 1 MiB/s)`],
			['webhook caller saw', `HTTP ${answer.status} after ${(answeredAfterKillMs / 1000).toFixed(1)} s: ${answer.text.slice(0, 200)}`],
			['n8n execution', `status \`${execution.status}\`, finished ${execution.finished}, error: ${errorText.slice(0, 300) || '-'} (read ${(nExecutionMs / 1000).toFixed(1)} s after the kill)`],
			['TikTok (emulator) after the kill', `1 post: status ${partial.status}, bytes ${partial.bytes} of ${video.bytes}, chunks ${chunkStates}`],
			['re-run (webhook again)', `HTTP ${rerun.status} on ${rerunWorker?.name ?? '?'} in ${(rerun.ms / 1000).toFixed(1)} s: ${rerun.text.slice(0, 160)}`],
			['TikTok after the re-run', `${all.posts.length} posts, ${published.length} published (${all.posts.map((post: Json) => `${post.status} ${post.bytes} B`).join('; ')})`],
		);

		// Guaranteed by the design: nothing reports a post that TikTok does not hold complete.
		expect(execution.status).not.toBe('success');
		expect(answer.status).not.toBe(200);
		expect(partial.bytes).toBeLessThan(video.bytes);
		expect(partial.status).toBe('PROCESSING_UPLOAD');
		expect(rerun.status).toBe(200);
		expect(rerunWorker).toBeDefined();
		expect(rerunWorker).not.toBe(victim);
		expect(all.posts).toHaveLength(2);
		expect(published).toHaveLength(1);
		expect(published[0].sha256).toBe(video.sha256);
	}, 420_000);
});

// ---------------------------------------------------------------------------------------------

function fixtureCount(): number {
	return readdirSync(join(__dirname, 'workflows')).filter((file) => /^node-.*\.json$/.test(file)).length;
}

function writeReport(): void {
	if (!queue) return;
	const dir = join(REPO_ROOT, 'test-results', 'e2e');
	mkdirSync(dir, { recursive: true });
	const lines = [
		`# n8n queue mode (n8n ${queue.install.n8nVersion}, ${new Date().toISOString()})`,
		'',
		`PostgreSQL on 127.0.0.1:${queue.postgres.port}, Redis on 127.0.0.1:${queue.redis.port}, main on ${queue.main.baseUrl},`,
		`${queue.workers.length} workers (\`n8n worker --concurrency=4\`). Start-up (emulator, database, Redis, main, workers,`,
		`credential, ${fixtureCount()} fixtures published): ${(startupMs / 1000).toFixed(0)} s; whole suite ${((Date.now() - suiteStartedAt) / 1000).toFixed(0)} s.`,
		'',
		'## Which process ran each execution',
		'',
		'From the logs: the main logged "Enqueued execution <id>", exactly one worker logged "Worker started execution <id>".',
		'',
		'| test | execution | status | enqueued by main | run by |',
		'|---|---|---|---|---|',
		...placements.map((p) => `| ${p.test} | ${p.executionId} | ${p.status} | ${p.enqueued} | ${p.worker} |`),
		'',
		`## ${CONCURRENT} concurrent executions after the expiry, over two workers (refreshRotation rotate-and-revoke-old, clientKeyIn body-or-query)`,
		'',
		'| credential | refreshTokenReuse | round | executions per worker | succeeded | refresh requests (outcomes) | grant revoked | failures | webhook answers lost |',
		'|---|---|---|---|---|---|---|---|---|',
		...concurrencyRows.map(
			(row) =>
				`| ${row.credential} | ${row.reuse} | ${row.round} | ${row.perWorker} | ${row.succeeded}/${CONCURRENT} | ${row.refreshes} | ${row.grantRevoked} | ${row.failures.replace(/\|/g, '\\|')} | ${row.answersLost} |`,
		),
		'',
		`## Webhook answers while the main is paused (Webhook → No Op, N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED=${QUEUE_JOBS_KEPT})`,
		'',
		...pauseRows.map(([what, observed]) => `- ${what}: ${observed}`),
		'',
		'## A worker killed with SIGKILL mid-upload (70 MiB video)',
		'',
		'| what | observed |',
		'|---|---|',
		...killRows.map(([what, observed]) => `| ${what} | ${observed.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`),
		'',
	];
	writeFileSync(join(dir, 'queue-mode.md'), lines.join('\n'));
}
