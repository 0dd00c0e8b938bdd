/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// `npm run bench:concurrent`: 4 executions uploading at once, each its own video, on one n8n.
//
//   npm run bench:concurrent                         the three scenarios below, 4 × 256 MiB each
//   npm run bench:concurrent -- --only queue-url     one scenario (also: regular-binary, regular-url; repeatable)
//   npm run bench:concurrent -- --size-mib 32        smaller videos (a quick check while developing)
//   npm run bench:concurrent -- --executions 6       another number of executions at once
//   npm run bench:concurrent -- --chunk-mib 16       another chunk size than the node's default 10 MiB
//   npm run bench:concurrent -- --package-dir D      benchmark another build (D has package.json and dist/)
//   npm run bench:concurrent -- --skip-reference     without the reference node's runs (half the time)
//   npm run bench:concurrent -- --rounds 3           three measured rounds per side instead of one (each 63 s
//                                                    after the last): single rounds on a 2-core VM swing widely
//   npm run bench:concurrent -- --warm-ups 1         another number of warm-up rounds than the default two
//
// Scenarios (each on a fresh n8n, the emulator reset in between):
//   regular-binary  one `n8n start` in regular mode, n8n's default binary mode (filesystem): 4 webhook
//                   calls at once, each Read/Write Files → TikTok Post Video (binary) with a different file;
//                   a Wait node starts the 4 TikTok nodes at one instant (START_TOGETHER_AFTER_MS after the calls)
//   regular-url     the same n8n setup, Video Source "URL, Uploaded in Chunks": 4 calls, each a different
//                   URL on a local media server (test/e2e/media-server.ts, real http on 127.0.0.1)
//   queue-url       queue mode (PostgreSQL, Redis, one main, ONE `n8n worker --concurrency=5`), the URL
//                   source: the 4 executions run together on that worker. (Binary in queue mode means
//                   n8n's `database` binary mode, which cannot hold 4 × 256 MiB: see bench:queue.)
//
// Method:
// - The emulator runs in its own process (emulator-process.ts) with `uploadDigest: 'sampled'`
//   (4 KiB of every MiB hashed, positions and sizes exact), so the receiving side is not the
//   bottleneck; each file's expected digest is sampledDigestOfFile() of it, as run.ts does. The 4
//   files differ (different seeds), so a post carrying another execution's bytes is caught too.
// - Each scenario runs two warm-up rounds (--warm-ups) and then the measured rounds (one unless
//   --rounds) on its fresh process. n8n's first large executions raise its heap's and malloc's
//   high-water marks (node-scenario.ts's warmUpWithOwnFiles): on one worker, the settled idle RSS
//   rose for two rounds (281 → 416 → 539 → 545 MiB) while every round peaked at 567–582 MiB, so after
//   a single warm-up the growth over idle mostly measured what the process then kept (DEFAULT_WARM_UPS).
//   The warm-ups' growth (the first one's over the fresh process's idle) is reported as well; the
//   targets apply to every measured round, and each round's peak RSS itself is printed next to the
//   reference node's. Between rounds the bench waits 63 s: the node keeps TikTok's 6 video inits
//   per minute per token (transport/rateBudget.ts, per process), and 8 executions within a minute
//   would make the last two wait for their turn. Before each round the uploading process's RSS must
//   settle (the process at least 30 s old, then 4 s within 4 MiB, at most 45 s more; settledRss):
//   that is its idle RSS. Its VmHWM is reset (clear_refs 5), the webhook calls are made at once,
//   and VmRSS is sampled every 20 ms (rss-sampler.ts) until all answered.
// - The uploading process: n8n's main process in regular mode, the worker in queue mode; it is
//   checked to have written every uploaded byte to its sockets (/proc/<pid>/io wchar), and in
//   queue mode each execution to have been enqueued by the main and started by that worker (logs).
// - Peak RSS growth = max(sampled peak, VmHWM) − idle RSS, over the whole round (Read/Write Files
//   included in regular-binary). Target: executions × 2 × chunk + 64 MiB (4 × 20 + 64 = 144 MiB
//   at the default chunk): each execution holds at most two chunks, plus n8n's own allowance; or,
//   where n8n's own cost of the same work is larger, no more than the reference node's growth (its
//   largest over its measured rounds, which must all have succeeded): every measured round must hold it.
// - The reference node (reference-node/, unless --skip-reference): after our node's rounds, the
//   same scenario on another fresh n8n (or queue stack) with the simplest chunked upload (no read-ahead:
//   a chunk's pieces and, briefly, their joined copy per execution). It measures what n8n itself costs:
//   with the URL source, Node's HTTP client reads the socket into a fresh buffer per read and copies
//   the body out of it; those read buffers are garbage until V8's next collection, and no node can
//   free them. A bare Node process downloading 4 × 1 GiB at once, freeing every body piece on arrival,
//   peaked at 93–105 MiB of array buffers (2026-11-30; test/bench/README.md, "Four uploads at once").
// - Throughput: total bytes / the time from the first TikTok node's start to the last one's end
//   (n8n's own run data), MB = 10^6 bytes; the wall time from the calls to the last answer is kept
//   too. No throughput target: it is reported next to the single-upload bench's figures.
// - Checks per scenario: every webhook answered 200 and every execution `success`; all executions'
//   TikTok nodes ran at the same instant at least once (n8n's run data); exactly as many new posts at
//   the emulator as executions (no duplicate, none missing); each post's publish_id is one
//   execution's output, its size the file's, its digest the file's.
// - Exit code 1 when any check or the memory target is missed; the run stops after --budget-minutes
//   (default 20) whatever happens; every wait is bounded.
//
// Results: bench-results/concurrent-<time>.json (every measurement, the samples' summary) and
// bench-results/concurrent.md (the table); n8n logs in bench-results/logs/ (queue mode's in
// test-results/e2e/bench-concurrent-queue-url.*.log). For run.ts: generateConcurrentFiles(),
// concurrentScenarios(), runConcurrentWithReference(), concurrentTargets(), concurrentTable(),
// concurrentThreadLines(), concurrentPeakLines().
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { join } from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { parseArgs } from 'util';
import { sampledDigestOfFile } from '../emulator/digest';
import { writeFileOfSize, type GeneratedFile } from '../e2e/files';
import type { N8nInstance, WorkflowJson } from '../e2e/harness';
import { ensureN8nInstalled } from '../e2e/install-n8n';
import { startMediaServer, type MediaServer } from '../e2e/media-server';
import { emulatorOAuth2Credential } from '../e2e/node-stack';
import { assertPackageBuilt, REPO_ROOT } from '../e2e/package-install';
import { startQueueMode, type QueueMode } from '../e2e/queue-mode';
import { BENCH_EMULATOR_CONFIG, startEmulatorProcess, type EmulatorProcess, type Json } from './emulator-process';
import { machineInfo, type MachineInfo } from './machine';
import { threadSplit } from './report';
import { buildReferencePackage } from './reference-node/build';
import { startBenchN8n, TIKTOK_NODE } from './n8n-bench';
import { cpuDuring, median, peakBetween, processTree, readIo, readMemory, resetPeak, RssSampler, settledRss, threadCpuDuring, type RssSample, type ThreadCpu } from './rss-sampler';

const MiB = 1024 * 1024;
const KiB = 1024;
const GiB = 1024 * MiB;
const SAMPLE_INTERVAL_MS = 20;
/** Binary source: when the TikTok nodes start (the workflow's "Start Together" Wait node), after the webhook calls; Read/Write Files of 4 × 256 MiB takes well under this. */
const START_TOGETHER_AFTER_MS = 30_000;
/**
 * Rounds before the measured ones. A fresh n8n keeps part of what its first big rounds took (its heap,
 * malloc's arenas): measured on one queue worker, 2026-11-30, its settled idle RSS went 281 → 416 →
 * 539 → 545 MiB over four rounds while each round's peak stayed at 567–582 MiB. After one warm-up, the
 * next round's growth over idle (+150 MiB) was mostly memory the process then kept; after two, +36.
 */
const DEFAULT_WARM_UPS = 2;
/** n8n's own allowance on top of the chunks, as in run.ts's single-upload target. */
const N8N_OWN_MIB = 64;
const QUEUE_WORKER_CONCURRENCY = 5;
/** The node's rate window (61 s, transport/rateBudget.ts) and a margin. */
const RATE_WINDOW_MS = 63_000;
const CREDENTIAL_ID = 'tiktok-oauth-bench';
const BINARY_WEBHOOK = 'bench-post-video';
const URL_WEBHOOK = 'bench-post-video-url';
const RESULTS_DIR = join(REPO_ROOT, 'bench-results');

export type ConcurrentScenarioId = 'regular-binary' | 'regular-url' | 'queue-url';
export const CONCURRENT_SCENARIO_IDS: ConcurrentScenarioId[] = ['regular-binary', 'regular-url', 'queue-url'];

export interface ConcurrentScenario {
	id: ConcurrentScenarioId;
	label: string;
	mode: 'regular' | 'queue';
	source: 'binary' | 'urlUpload';
	/** One execution per file, all started at once. `sha256` is the digest the emulator reports (sampled). */
	files: GeneratedFile[];
	/** The node's "Chunk Size (MB)" option (MiB, as the node reads it). */
	chunkSizeMb: number;
	/** Bound on one round (all executions answered). */
	timeoutMs: number;
}

export interface ExecutionOutcome {
	executionId: string;
	file: string;
	httpStatus: number;
	status: string;
	publishId?: string;
	/** The node's planned chunk size (its output's chunk_size). */
	chunkBytes?: number;
	/** The TikTok node's run, n8n's clock (epoch ms). */
	tiktokStart?: number;
	tiktokMs?: number;
	/** Queue mode: the worker whose log says it started the execution, and whether the main enqueued it. */
	worker?: string;
	enqueued?: boolean;
	error?: string;
}

export interface ConcurrentScenarioResult {
	id: ConcurrentScenarioId;
	label: string;
	mode: 'regular' | 'queue';
	source: 'binary' | 'urlUpload';
	executions: number;
	bytesPerFile: number;
	totalBytes: number;
	chunkBytes: number;
	outcomes: ExecutionOutcome[];
	succeeded: number;
	/** Posts the emulator recorded during the measured round. */
	posts: number;
	duplicatePublishIds: number;
	intact: number;
	/** Total bytes / first TikTok node start → last TikTok node end. */
	aggregateMBps: number;
	/** Total bytes / first webhook call → last answer. */
	wallMBps: number;
	uploadSeconds: number;
	wallSeconds: number;
	/** What a single execution's TikTok node took on average in the round (s): how much they slowed each other. */
	medianExecutionSeconds: number;
	/** The most TikTok nodes running at the same instant (from n8n's run data): proves the uploads overlapped. */
	maxAtOnce: number;
	/** Time during which all executions' TikTok nodes ran at once, over the upload window. */
	allAtOnceShare: number;
	memory: {
		uploaderPid: number;
		uploaderRole: string;
		idleMiB: number;
		idleSteady: boolean;
		peakSampledMiB: number;
		hwmMiB: number;
		/** max(sampled peak, VmHWM) − idle. */
		growthMiB: number;
		limitMiB: number;
		/** Bytes the uploader wrote (any fd, sockets included) during the round. */
		wcharMiB: number;
		/**
		 * Where in the round the memory went: the sampled RSS growth over idle at its highest in each tenth of
		 * the upload window (first TikTok node start → last end), and the sampled peak's place in it (0…1).
		 */
		tenthsMiB?: number[];
		peakAtShare?: number;
		/** Sampled RssAnon peak − RssAnon at the round's start: the heap and buffers without file-backed pages. */
		anonGrowthMiB?: number;
	};
	/** CPU seconds during the round; the uploader's also per kind of thread (main, V8Worker, libuv-worker, …). */
	cpu: { uploaderSeconds: number; emulatorSeconds: number; uploaderThreads: ThreadCpu };
	loadAverage1m: number;
	/** When the round's last answer came (epoch ms). */
	endedAt: number;
	/**
	 * Every warm-up round: its idle RSS and growth over it (the first one's idle is the fresh process's).
	 * Records from before 2026-11-30 have `firstRound` instead: their single warm-up.
	 */
	warmUpRounds?: Array<{ idleMiB: number; growthMiB: number; aggregateMBps: number }>;
	/** The same scenario's measured round(s) with the bench's reference node (reference-node/), on its own fresh n8n. */
	reference?: ConcurrentScenarioResult;
	/** With --rounds N: measured rounds 2…N on the same process (this object is round 1). */
	laterRounds?: ConcurrentScenarioResult[];
}

/** Every measured round of a scenario, in order. */
export function measuredRounds(result: ConcurrentScenarioResult): ConcurrentScenarioResult[] {
	return [result, ...(result.laterRounds ?? [])];
}

export interface ConcurrentTargetCheck {
	name: string;
	pass: boolean;
	detail: string;
}

/**
 * Writes `count` different videos of `bytes` each into `dir`. `sha256` is the digest the emulator
 * will report: its sampled digest (uploadDigest 'sampled'), or the full sha256 with `digest: 'sha256'`
 * (run.ts's --full-hash).
 */
export async function generateConcurrentFiles(
	dir: string,
	count: number,
	bytes: number,
	options: { prefix?: string; digest?: 'sampled' | 'sha256' } = {},
): Promise<GeneratedFile[]> {
	const files: GeneratedFile[] = [];
	for (let index = 0; index < count; index++) {
		const file = await writeFileOfSize(join(dir, `${options.prefix ?? 'concurrent'}-${index + 1}.mp4`), bytes, 500 + index);
		if (options.digest !== 'sha256') file.sha256 = await sampledDigestOfFile(file.path);
		files.push(file);
	}
	return files;
}

/** The three scenarios over the same files. */
export function concurrentScenarios(files: GeneratedFile[], chunkSizeMb = 10): ConcurrentScenario[] {
	const totalBytes = files.reduce((sum, file) => sum + file.bytes, 0);
	// Far above any plausible run (≥ 5 MB/s for all bytes together), so only a hang trips it.
	const timeoutMs = Math.ceil(120_000 + (totalBytes / 5e6) * 1000);
	const size = `${files.length} × ${(files[0]?.bytes ?? 0) / MiB} MiB`;
	const base = { files, chunkSizeMb, timeoutMs };
	return [
		{ ...base, id: 'regular-binary', label: `${size} at once, regular mode, binary (filesystem)`, mode: 'regular', source: 'binary' },
		{ ...base, id: 'regular-url', label: `${size} at once, regular mode, URL source`, mode: 'regular', source: 'urlUpload' },
		{ ...base, id: 'queue-url', label: `${size} at once, one queue worker, URL source`, mode: 'queue', source: 'urlUpload' },
	];
}

/** Where a scenario runs: one n8n process that takes the webhook, and the process that uploads. */
interface Target {
	n8n: N8nInstance;
	uploaderPid: number;
	uploaderRole: string;
	workflowId: string;
	webhookPath: string;
	queue?: QueueMode;
	/** Drops what the executions left in n8n's binary storage (Read/Write Files' copies: gigabytes). */
	dropStorage?(executionIds: string[]): void;
	stop(): Promise<void>;
}

function loadWorkflow(file: string): WorkflowJson {
	return JSON.parse(readFileSync(join(__dirname, 'workflows', file), 'utf8')) as WorkflowJson;
}

/**
 * One scenario on a fresh n8n (regular) or a fresh queue-mode stack with one worker: `warmUps`
 * warm-up rounds, then `rounds` measured rounds. The emulator is reset first (its start settings: run.ts's has
 * uploadDigest 'sampled', which the files' digests assume).
 */
export async function runConcurrentScenario(
	emulator: EmulatorProcess,
	scenario: ConcurrentScenario,
	env: { filesDir: string; logDir: string; packageDir?: string },
	log: (line: string) => void,
	rounds = 1,
	warmUps = DEFAULT_WARM_UPS,
): Promise<ConcurrentScenarioResult> {
	await emulator.control('reset', {});
	const media = scenario.source === 'urlUpload' ? await startMediaServer(Object.fromEntries(scenario.files.map((file) => [fileName(file), file.path]))) : undefined;
	let target: Target | undefined;
	try {
		target = await startTarget(emulator, scenario, env);
		const warm: ConcurrentScenarioResult[] = [];
		const measured: ConcurrentScenarioResult[] = [];
		let endedAt: number | undefined;
		for (let index = 0; index < warmUps + rounds; index++) {
			const warming = index < warmUps;
			if (endedAt !== undefined) {
				// The node keeps TikTok's 6 video inits per minute per token (transport/rateBudget.ts, per
				// process): a round right after another would wait for its budget instead of uploading.
				const budgetFreeAt = endedAt + RATE_WINDOW_MS;
				log(`  ${scenario.id}: waiting ${((budgetFreeAt - Date.now()) / 1000).toFixed(0)} s for the node's per-minute init budget`);
				await sleep(Math.max(0, budgetFreeAt - Date.now()));
			}
			log(`  ${scenario.id}: ${warming ? `warm-up round ${index + 1} of ${warmUps}` : `measured round ${index - warmUps + 1} of ${rounds}`}`);
			const result = await round(target, emulator, scenario, media, log);
			if (warming && result.outcomes.some((outcome) => outcome.status !== 'success')) {
				throw new Error(`warm-up round ${index + 1} failed: ${JSON.stringify(result.outcomes.filter((outcome) => outcome.status !== 'success')).slice(0, 800)}`);
			}
			(warming ? warm : measured).push(result);
			endedAt = result.endedAt;
		}
		const [firstMeasured, ...later] = measured;
		const summary = (r: ConcurrentScenarioResult) => ({ idleMiB: r.memory.idleMiB, growthMiB: r.memory.growthMiB, aggregateMBps: r.aggregateMBps });
		return {
			...firstMeasured,
			...(warm.length ? { warmUpRounds: warm.map(summary) } : {}),
			...(later.length ? { laterRounds: later } : {}),
		};
	} finally {
		await target?.stop();
		await media?.close();
	}
}

const fileName = (file: GeneratedFile) => file.path.slice(file.path.lastIndexOf('/') + 1);

async function startTarget(emulator: EmulatorProcess, scenario: ConcurrentScenario, env: { filesDir: string; logDir: string; packageDir?: string }): Promise<Target> {
	const workflowFile = scenario.source === 'binary' ? 'bench-post-video.json' : 'bench-post-video-url.json';
	const webhookPath = scenario.source === 'binary' ? BINARY_WEBHOOK : URL_WEBHOOK;
	if (scenario.mode === 'regular') {
		// startBenchN8n publishes the binary workflow; the URL one is published next to it.
		const bench = await startBenchN8n(emulator, {
			name: `bench-concurrent-${scenario.id}`,
			filesDir: env.filesDir,
			logFile: join(env.logDir, `concurrent-${scenario.id}.n8n.log`),
			packageDir: env.packageDir,
		});
		try {
			const workflowId = scenario.source === 'binary' ? bench.workflowId : (await bench.n8n.importWorkflow(loadWorkflow(workflowFile))).id;
			return {
				n8n: bench.n8n,
				uploaderPid: bench.n8n.pid as number,
				uploaderRole: 'n8n main (regular mode)',
				workflowId,
				webhookPath,
				dropStorage: (ids) => {
					for (const id of ids) rmSync(join(bench.n8n.n8nFolder, 'storage', 'workflows', workflowId, 'executions', id), { recursive: true, force: true });
				},
				stop: () => bench.stop(),
			};
		} catch (error) {
			await bench.stop();
			throw error;
		}
	}
	const tokens = await emulator.control('tokens', {});
	const queue = await startQueueMode({
		name: `bench-concurrent-${scenario.id}`,
		workers: 1,
		workerConcurrency: QUEUE_WORKER_CONCURRENCY,
		packageDir: env.packageDir,
		credentials: [emulatorOAuth2Credential(CREDENTIAL_ID, 'TikTok (bench emulator)', emulator.url, tokens)],
		env: { N8N_RESTRICT_FILE_ACCESS_TO: env.filesDir },
	});
	try {
		await queue.main.login();
		const { id: workflowId } = await queue.main.importWorkflow(loadWorkflow(workflowFile));
		const worker = queue.workers[0];
		return {
			n8n: queue.main,
			uploaderPid: worker.pid as number,
			uploaderRole: `n8n worker (queue mode, --concurrency=${QUEUE_WORKER_CONCURRENCY})`,
			workflowId,
			webhookPath,
			queue,
			stop: () => queue.stop(),
		};
	} catch (error) {
		await queue.stop();
		throw error;
	}
}

/** One webhook call; never throws (a failure is an outcome). */
async function callWebhook(url: string, body: unknown, timeoutMs: number): Promise<{ status: number; text: string }> {
	try {
		const response = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		return { status: response.status, text: (await response.text()).slice(0, 4000) };
	} catch (error) {
		return { status: 0, text: `no answer: ${(error as Error).message}` };
	}
}

/** One round: idle memory settled, then all executions at once, measured; `log` gets its summary. */
async function round(
	target: Target,
	emulator: EmulatorProcess,
	scenario: ConcurrentScenario,
	media: MediaServer | undefined,
	log: ((line: string) => void) | undefined,
): Promise<ConcurrentScenarioResult> {
	const pid = target.uploaderPid;
	const pids = [...new Set([...processTree(pid), ...processTree(target.n8n.pid as number)])];
	const sampler = new RssSampler([...pids, emulator.pid], SAMPLE_INTERVAL_MS, undefined, [pid]);
	sampler.start();
	let idle: { rssKiB: number; steady: boolean };
	let from: number;
	let to: number;
	let answers: Array<{ status: number; text: string }>;
	let wcharBytes: number;
	const postsBefore = ((await emulator.control('state')).posts as Json[]).length;
	const before = new Set((await target.n8n.listExecutions(target.workflowId, 50)).map((execution) => execution.id));
	try {
		const settled = await settledRss([pid]);
		idle = { rssKiB: settled.rssKiB[pid], steady: settled.steady };
		resetPeak(pid);
		const wcharBefore = readIo(pid)?.wchar ?? NaN;
		from = Date.now();
		// Read/Write Files copies each video at its own pace, and the 4 uploads from n8n's storage then
		// take about a second each: the workflow's Wait node starts the TikTok nodes at one instant.
		const startAt = new Date(from + START_TOGETHER_AFTER_MS).toISOString();
		answers = await Promise.all(
			scenario.files.map((file) =>
				callWebhook(
					`${target.n8n.baseUrl}/webhook/${target.webhookPath}`,
					scenario.source === 'binary'
						? { files: [{ file: file.path }], chunkSizeMb: scenario.chunkSizeMb, startAt }
						: { urls: [{ url: media!.url(fileName(file)) }], chunkSizeMb: scenario.chunkSizeMb },
					scenario.timeoutMs,
				),
			),
		);
		to = Date.now();
		wcharBytes = (readIo(pid)?.wchar ?? NaN) - wcharBefore;
	} finally {
		sampler.stop();
	}
	const hwmKiB = readMemory(pid)?.hwmKiB ?? NaN;

	// The executions this round created (each call makes one); n8n lists newest first.
	const fresh = (await target.n8n.listExecutions(target.workflowId, 50)).filter((execution) => !before.has(execution.id));
	const outcomes: ExecutionOutcome[] = [];
	for (const { id } of fresh) {
		const execution = await finishedExecution(target.n8n, id);
		const tiktok = execution.nodes[TIKTOK_NODE];
		const run = (execution.data as { resultData?: { runData?: Record<string, Array<{ startTime: number; executionTime: number }>> } }).resultData?.runData?.[TIKTOK_NODE]?.[0];
		const item = tiktok?.json?.[0] as Json;
		const error = tiktok?.error ?? execution.error;
		const runner = target.queue ? await target.queue.runnerOf(id).catch(() => undefined) : undefined;
		outcomes.push({
			executionId: id,
			file: '',
			httpStatus: 0,
			status: execution.status,
			publishId: item?.publish_id,
			chunkBytes: item?.chunk_size === undefined ? undefined : Number(item.chunk_size),
			tiktokStart: run?.startTime,
			tiktokMs: run?.executionTime,
			worker: runner?.name,
			enqueued: target.queue ? target.queue.enqueued(id) : undefined,
			error: error ? String(error.message ?? JSON.stringify(error)).slice(0, 300) : undefined,
		});
	}
	const posts = ((await emulator.control('state')).posts as Json[]).slice(postsBefore);
	// Which file each execution posted: by the post's digest (the files differ).
	for (const outcome of outcomes) {
		const post = posts.find((candidate) => candidate.publish_id === outcome.publishId);
		outcome.file = scenario.files.find((file) => file.sha256 === post?.sha256)?.path ?? '?';
	}
	answers.forEach((answer, index) => {
		// Answers are per call, executions per id: attach each call's HTTP status to the execution of its file.
		const outcome = outcomes.find((candidate) => candidate.file === scenario.files[index].path);
		if (outcome) outcome.httpStatus = answer.status;
		else outcomes.push({ executionId: '?', file: scenario.files[index].path, httpStatus: answer.status, status: 'no execution found', error: answer.text.slice(0, 300) });
	});
	target.dropStorage?.(fresh.map((execution) => execution.id));

	const publishIds = posts.map((post) => post.publish_id as string);
	const intact = posts.filter((post) => {
		const outcome = outcomes.find((candidate) => candidate.publishId === post.publish_id);
		const file = scenario.files.find((candidate) => candidate.path === outcome?.file);
		return file !== undefined && post.sha256 === file.sha256 && post.bytes === file.bytes;
	}).length;
	const starts = outcomes.map((outcome) => outcome.tiktokStart).filter((value): value is number => value !== undefined);
	const ends = outcomes.filter((outcome) => outcome.tiktokStart !== undefined).map((outcome) => (outcome.tiktokStart ?? 0) + (outcome.tiktokMs ?? 0));
	const uploadMs = starts.length ? Math.max(...ends) - Math.min(...starts) : NaN;
	const overlap = overlapOf(outcomes);
	const totalBytes = scenario.files.reduce((sum, file) => sum + file.bytes, 0);
	const peakKiB = peakBetween(sampler.samples, pid, from, to + SAMPLE_INTERVAL_MS) ?? NaN;
	// The chunk size the node planned (its output), else the option's.
	const chunkBytes = Math.max(...outcomes.map((outcome) => outcome.chunkBytes ?? 0)) || scenario.chunkSizeMb * MiB;
	const growthKiB = Math.max(peakKiB, Number.isFinite(hwmKiB) ? hwmKiB : -Infinity) - idle.rssKiB;
	const where = whereMemoryWent(sampler.samples, pid, idle.rssKiB, starts.length ? Math.min(...starts) : from, starts.length ? Math.max(...ends) : to);
	const anonStart = sampler.samples.find((sample) => sample.at >= from)?.anonKiB[pid];
	const anonPeak = peakBetween(sampler.samples, pid, from, to + SAMPLE_INTERVAL_MS, 'anonKiB');
	const result: ConcurrentScenarioResult = {
		id: scenario.id,
		label: scenario.label,
		mode: scenario.mode,
		source: scenario.source,
		executions: scenario.files.length,
		bytesPerFile: scenario.files[0].bytes,
		totalBytes,
		chunkBytes,
		outcomes,
		succeeded: outcomes.filter((outcome) => outcome.status === 'success' && outcome.httpStatus === 200 && outcome.publishId).length,
		posts: posts.length,
		duplicatePublishIds: publishIds.length - new Set(publishIds).size,
		intact,
		aggregateMBps: totalBytes / 1e6 / (uploadMs / 1000),
		wallMBps: totalBytes / 1e6 / ((to - from) / 1000),
		uploadSeconds: uploadMs / 1000,
		wallSeconds: (to - from) / 1000,
		medianExecutionSeconds: median(outcomes.map((outcome) => (outcome.tiktokMs ?? NaN) / 1000).filter(Number.isFinite)),
		maxAtOnce: overlap.max,
		allAtOnceShare: overlap.allMs / uploadMs,
		memory: {
			uploaderPid: pid,
			uploaderRole: target.uploaderRole,
			idleMiB: idle.rssKiB / KiB,
			idleSteady: idle.steady,
			peakSampledMiB: peakKiB / KiB,
			hwmMiB: hwmKiB / KiB,
			growthMiB: growthKiB / KiB,
			limitMiB: (scenario.files.length * 2 * chunkBytes) / MiB + N8N_OWN_MIB,
			...where,
			...(anonStart !== undefined && anonPeak !== undefined ? { anonGrowthMiB: (anonPeak - anonStart) / KiB } : {}),
			wcharMiB: wcharBytes / MiB,
		},
		cpu: {
			uploaderSeconds: cpuDuring(sampler.samples, pid, from, to).cpuSeconds,
			uploaderThreads: threadCpuDuring(sampler.samples, pid, from, to),
			emulatorSeconds: cpuDuring(sampler.samples, emulator.pid, from, to).cpuSeconds,
		},
		loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
		endedAt: to,
	};
	log?.(
		`    ${result.succeeded}/${result.executions} succeeded, ${result.posts} posts (${result.intact} intact), ${result.aggregateMBps.toFixed(0)} MB/s aggregate, ` +
			`peak RSS +${result.memory.growthMiB.toFixed(0)} MiB (limit ${result.memory.limitMiB.toFixed(0)})` +
			(result.memory.tenthsMiB ? `; by tenth of the upload window +${result.memory.tenthsMiB.join(', +')} MiB, peak at ${((result.memory.peakAtShare ?? NaN) * 100).toFixed(0)} %` : '') +
			(result.memory.anonGrowthMiB !== undefined ? `; anonymous +${result.memory.anonGrowthMiB.toFixed(0)} MiB` : ''),
	);
	return result;
}

/** The most TikTok node runs that overlap at one instant, and how long all of them ran together (ms). */
function overlapOf(outcomes: ExecutionOutcome[]): { max: number; allMs: number } {
	const runs = outcomes.filter((outcome) => outcome.tiktokStart !== undefined && outcome.tiktokMs !== undefined);
	const events = runs.flatMap((outcome) => [
		{ at: outcome.tiktokStart!, change: 1 },
		{ at: outcome.tiktokStart! + outcome.tiktokMs!, change: -1 },
	]);
	events.sort((a, b) => a.at - b.at || a.change - b.change);
	let running = 0;
	let max = 0;
	let allMs = 0;
	let allSince: number | undefined;
	for (const event of events) {
		running += event.change;
		max = Math.max(max, running);
		if (running === runs.length && allSince === undefined) allSince = event.at;
		if (running < runs.length && allSince !== undefined) {
			allMs += event.at - allSince;
			allSince = undefined;
		}
	}
	return { max, allMs };
}

/** The highest sampled RSS growth in each tenth of the upload window, and where the peak fell (0…1). */
function whereMemoryWent(samples: RssSample[], pid: number, idleKiB: number, start: number, end: number): { tenthsMiB?: number[]; peakAtShare?: number } {
	if (!(end > start)) return {};
	const tenths: number[] = Array.from({ length: 10 }, () => 0);
	let peak = -Infinity;
	let peakAt = start;
	for (const sample of samples) {
		const rss = sample.rssKiB[pid];
		if (rss === undefined || sample.at < start || sample.at > end) continue;
		const tenth = Math.min(9, Math.floor(((sample.at - start) / (end - start)) * 10));
		tenths[tenth] = Math.max(tenths[tenth], (rss - idleKiB) / KiB);
		if (rss > peak) {
			peak = rss;
			peakAt = sample.at;
		}
	}
	return { tenthsMiB: tenths.map((value) => Math.round(value)), peakAtShare: (peakAt - start) / (end - start) };
}

async function finishedExecution(n8n: N8nInstance, id: string, timeoutMs = 30_000) {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const execution = await n8n.getExecution(id);
		if (!['new', 'running'].includes(execution.status) || Date.now() > deadline) return execution;
		await sleep(250);
	}
}

/**
 * The scenario with our node, then (given the reference package) with the reference node on its own
 * fresh n8n: the simplest chunked upload, whose memory is n8n's own cost of the same work (e.g. the
 * URL source's socket read buffers, garbage until V8 collects them, which no node can free).
 */
export async function runConcurrentWithReference(
	emulator: EmulatorProcess,
	scenario: ConcurrentScenario,
	env: { filesDir: string; logDir: string; packageDir?: string },
	log: (line: string) => void,
	referenceDir: string | undefined,
	rounds = 1,
	warmUps = DEFAULT_WARM_UPS,
): Promise<ConcurrentScenarioResult> {
	const result = await runConcurrentScenario(emulator, scenario, env, log, rounds, warmUps);
	if (!referenceDir) return result;
	log(`  ${scenario.id}: the same with the reference node (the simplest chunked upload in n8n), fresh ${scenario.mode === 'queue' ? 'queue-mode stack' : 'n8n'}`);
	const reference = await runConcurrentScenario(emulator, scenario, { ...env, packageDir: referenceDir }, (line) => log(line.replace(/^(\s*)/, '$1reference node, ')), rounds, warmUps);
	return { ...result, reference };
}

/** Every execution succeeded and posted once, intact: only then do a round's numbers count. */
export function roundSucceeded(result: ConcurrentScenarioResult): boolean {
	const n = result.executions;
	return result.succeeded === n && result.intact === n && result.posts === n;
}

/** The reference node's rounds all succeeded (only then does its memory count). */
export function referenceSucceeded(result: ConcurrentScenarioResult): boolean {
	return result.reference !== undefined && measuredRounds(result.reference).every(roundSucceeded);
}

/**
 * The memory the node may take in any measured round: executions × 2 chunks + n8n's own allowance,
 * or, where n8n's own cost of the same uploads is larger (the reference node's largest growth over
 * its rounds, worst case against worst case), no more than the reference.
 */
export function memoryLimitMiB(result: ConcurrentScenarioResult): number {
	const reference = result.reference && referenceSucceeded(result) ? Math.max(...measuredRounds(result.reference).map((r) => r.memory.growthMiB)) : 0;
	return Math.max(result.memory.limitMiB, reference);
}

/** The round's peak RSS itself: the larger of the sampled peak and VmHWM. */
export function peakRssMiB(result: ConcurrentScenarioResult): number {
	return result.memory.idleMiB + result.memory.growthMiB;
}

/** "+93, +87 MiB": a value per measured round. */
function perRound(result: ConcurrentScenarioResult, format: (round: ConcurrentScenarioResult) => string): string {
	return measuredRounds(result).map(format).join(', ');
}

/**
 * Every check of one scenario, for every measured round: all succeeded, one post each (no duplicate),
 * each intact, memory within the target; and the reference node's rounds all succeeded.
 */
export function concurrentTargets(result: ConcurrentScenarioResult): ConcurrentTargetCheck[] {
	const rounds = measuredRounds(result);
	const limit = memoryLimitMiB(result);
	const referenceCounts = referenceSucceeded(result);
	const checks = rounds.flatMap((round, index) => roundTargets(round, limit, rounds.length > 1 ? `, round ${index + 1} of ${rounds.length}` : '', result.reference, referenceCounts));
	if (result.reference) {
		const n = result.executions;
		checks.push({
			name: `the reference node's round${measuredRounds(result.reference).length > 1 ? 's' : ''} succeeded (${result.label})`,
			pass: referenceCounts,
			detail: measuredRounds(result.reference)
				.map((r) => `${r.succeeded}/${n} succeeded, ${r.intact}/${n} posts intact, ${r.aggregateMBps.toFixed(0)} MB/s aggregate`)
				.join('; '),
		});
	}
	return checks;
}

/** One measured round's checks; `which` names the round when there are several. */
function roundTargets(
	result: ConcurrentScenarioResult,
	limitMiB: number,
	which: string,
	reference: ConcurrentScenarioResult | undefined,
	referenceCounts: boolean,
): ConcurrentTargetCheck[] {
	const n = result.executions;
	const label = `${result.label}${which}`;
	const failed = result.outcomes.filter((outcome) => outcome.status !== 'success' || outcome.httpStatus !== 200);
	const checks: ConcurrentTargetCheck[] = [
		{
			name: `all ${n} executions succeeded (${label})`,
			pass: result.succeeded === n && failed.length === 0 && result.outcomes.length === n,
			detail:
				`${result.succeeded}/${n} with HTTP 200, status success and a publish_id` +
				(failed.length ? `; failed: ${failed.map((outcome) => `${outcome.executionId} HTTP ${outcome.httpStatus} ${outcome.status} ${outcome.error ?? ''}`).join('; ')}` : ''),
		},
		{
			name: `the ${n} uploads ran at the same time (${label})`,
			pass: result.maxAtOnce === n,
			detail: `at most ${result.maxAtOnce} TikTok nodes running at once; all ${n} together for ${(result.allAtOnceShare * 100).toFixed(0)} % of the upload window (n8n's run data)`,
		},
		{
			name: `exactly ${n} posts at the emulator, no duplicate (${label})`,
			pass: result.posts === n && result.duplicatePublishIds === 0,
			detail: `${result.posts} posts, ${result.duplicatePublishIds} repeated publish_ids`,
		},
		{
			name: `every post intact (${label})`,
			pass: result.intact === n,
			detail: `${result.intact}/${n} posts carry their execution's file: size and the emulator's sampled digest equal`,
		},
		{
			name: `peak RSS growth ≤ ${n} × 2 chunks + ${N8N_OWN_MIB} MiB${reference ? ", or the reference node's where larger" : ''} (${label})`,
			pass: result.memory.growthMiB <= limitMiB,
			detail:
				`${result.memory.uploaderRole}: +${result.memory.growthMiB.toFixed(1)} MiB ≤ ${limitMiB.toFixed(1)} MiB ` +
				`(idle ${result.memory.idleMiB.toFixed(0)} MiB${result.memory.idleSteady ? '' : ', not settled'}, sampled peak ${result.memory.peakSampledMiB.toFixed(0)}, VmHWM ${result.memory.hwmMiB.toFixed(0)}; ` +
				`${n} × 2 chunks + ${N8N_OWN_MIB} = ${result.memory.limitMiB.toFixed(0)} MiB` +
				(reference ? `, reference node ${perRound(reference, (r) => `+${r.memory.growthMiB.toFixed(0)}`)} MiB${referenceCounts ? '' : ' (not counted: a round failed)'}` : '') +
				')',
		},
	];
	if (result.mode === 'queue') {
		const workers = new Set(result.outcomes.map((outcome) => outcome.worker));
		checks.push({
			name: `every execution enqueued by the main and run by the one worker (${label})`,
			pass: result.outcomes.every((outcome) => outcome.enqueued === true && outcome.worker !== undefined) && workers.size === 1,
			detail: result.outcomes.map((outcome) => `${outcome.executionId}: enqueued ${outcome.enqueued}, run by ${outcome.worker ?? '?'}`).join('; '),
		});
	}
	// The process measured must be the one that sent the video: it wrote at least every uploaded byte.
	checks.push({
		name: `the measured process sent the upload (${label})`,
		pass: result.memory.wcharMiB * MiB >= result.totalBytes,
		detail: `${result.memory.uploaderRole} (pid ${result.memory.uploaderPid}) wrote ${result.memory.wcharMiB.toFixed(0)} MiB during the round, the upload is ${(result.totalBytes / MiB).toFixed(0)} MiB`,
	});
	return checks;
}

/** Per scenario, the uploading process's CPU per GiB split by kind of thread, with the reference node's (rounds separated by |). */
export function concurrentThreadLines(results: ConcurrentScenarioResult[]): string[] {
	const split = (r: ConcurrentScenarioResult) => measuredRounds(r).map((round) => threadSplit([round.cpu.uploaderThreads], r.totalBytes)).join(' | ');
	return results.map((r) => `- CPU s/GiB by thread, ${r.label}: node ${split(r)}` + (r.reference ? `; reference ${split(r.reference)}` : ''));
}

/**
 * Per scenario, each measured round's peak RSS with our node and with the reference node (same history:
 * a fresh process, the same warm-ups) and the difference: what the node holds beyond the simplest upload.
 */
export function concurrentPeakLines(results: ConcurrentScenarioResult[]): string[] {
	return results
		.filter((r) => r.reference)
		.map((r) => {
			const node = measuredRounds(r).map(peakRssMiB);
			const reference = measuredRounds(r.reference as ConcurrentScenarioResult).map(peakRssMiB);
			const difference = node.slice(0, reference.length).map((peak, index) => peak - reference[index]);
			return (
				`- Peak RSS by round, ${r.label}: node ${node.map((v) => v.toFixed(0)).join(', ')} MiB, reference ${reference.map((v) => v.toFixed(0)).join(', ')} MiB; ` +
				`node − reference ${difference.map((v) => `${v >= 0 ? '+' : ''}${v.toFixed(0)}`).join(', ')} MiB (the node's read-ahead is ${r.executions} × ${(r.chunkBytes / MiB).toFixed(0)} MiB)`
			);
		});
}

/** The results as a Markdown table (one row per scenario; a value per measured round where they differ). */
export function concurrentTable(results: ConcurrentScenarioResult[]): string {
	return [
		'| Scenario | Chunk | Succeeded | Posts (intact) | Uploads at once (max; all together) | Aggregate MB/s | Wall MB/s | One execution (median s) | Uploading process | CPU s/GiB | Idle RSS | Peak RSS | Peak RSS growth | Reference node: MB/s; CPU s/GiB; idle → peak RSS; growth | Limit | Memory OK | First warm-up: fresh idle, growth |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
		...results.map((r) =>
			[
				r.label,
				`${(r.chunkBytes / MiB).toFixed(0)} MiB`,
				perRound(r, (round) => `${round.succeeded}/${round.executions}`),
				perRound(r, (round) => `${round.posts} (${round.intact})`),
				perRound(r, (round) => `${round.maxAtOnce}; ${(round.allAtOnceShare * 100).toFixed(0)} %`),
				perRound(r, (round) => round.aggregateMBps.toFixed(0)),
				perRound(r, (round) => round.wallMBps.toFixed(0)),
				perRound(r, (round) => round.medianExecutionSeconds.toFixed(1)),
				r.memory.uploaderRole,
				perRound(r, (round) => (round.cpu.uploaderSeconds / (r.totalBytes / GiB)).toFixed(2)),
				perRound(r, (round) => `${round.memory.idleMiB.toFixed(0)}`) + ' MiB',
				perRound(r, (round) => `${peakRssMiB(round).toFixed(0)}`) + ' MiB',
				perRound(r, (round) => `+${round.memory.growthMiB.toFixed(0)}`) + ' MiB',
				r.reference
					? `${perRound(r.reference, (round) => round.aggregateMBps.toFixed(0))}; ${perRound(r.reference, (round) => (round.cpu.uploaderSeconds / (r.totalBytes / GiB)).toFixed(2))}; ` +
						`${perRound(r.reference, (round) => `${round.memory.idleMiB.toFixed(0)} → ${peakRssMiB(round).toFixed(0)}`)} MiB; ` +
						`${perRound(r.reference, (round) => `+${round.memory.growthMiB.toFixed(0)}`)} MiB${referenceSucceeded(r) ? '' : ' (failed)'}`
					: '-',
				`${memoryLimitMiB(r).toFixed(0)} MiB`,
				measuredRounds(r).every((round) => round.memory.growthMiB <= memoryLimitMiB(r)) ? 'yes' : 'NO',
				r.warmUpRounds?.length ? `${r.warmUpRounds[0].idleMiB.toFixed(0)} MiB, +${r.warmUpRounds[0].growthMiB.toFixed(0)} MiB` : '-',
			].join(' | '),
		).map((line) => `| ${line} |`),
	].join('\n');
}

// ---------------------------------------------------------------------------------------------
// `npm run bench:concurrent`
// ---------------------------------------------------------------------------------------------

const progress = (line: string) => process.stderr.write(`[bench:concurrent] ${line}\n`);

async function main(): Promise<void> {
	const { values: args } = parseArgs({
		options: {
			only: { type: 'string', multiple: true },
			'size-mib': { type: 'string', default: '256' },
			executions: { type: 'string', default: '4' },
			'chunk-mib': { type: 'string', default: '10' },
			'budget-minutes': { type: 'string' },
			'package-dir': { type: 'string' },
			'skip-reference': { type: 'boolean', default: false },
			rounds: { type: 'string', default: '1' },
			'warm-ups': { type: 'string', default: String(DEFAULT_WARM_UPS) },
		},
	});
	const selected = CONCURRENT_SCENARIO_IDS.filter((id) => !args.only?.length || args.only.includes(id));
	const unknown = (args.only ?? []).filter((id) => !CONCURRENT_SCENARIO_IDS.includes(id as ConcurrentScenarioId));
	if (unknown.length) throw new Error(`unknown scenario ${unknown.join(', ')} (known: ${CONCURRENT_SCENARIO_IDS.join(', ')})`);
	const sizeMiB = Math.max(1, Math.min(4096, Number(args['size-mib']) || 256));
	const executions = Math.max(1, Math.min(16, Number(args.executions) || 4));
	const chunkMiB = Math.max(5, Math.min(61, Number(args['chunk-mib']) || 10));
	const rounds = Math.max(1, Math.min(10, Number(args.rounds) || 1));
	const warmUps = Math.max(0, Math.min(5, Number.isFinite(Number(args['warm-ups'])) ? Number(args['warm-ups']) : DEFAULT_WARM_UPS));
	// Each round costs about 1.5 min per side (the 63 s init budget, settling, the round).
	const budgetMinutes =
		Math.max(1, Number(args['budget-minutes']) || ((args['skip-reference'] ? 20 : 40) + (rounds + warmUps - 2) * selected.length * (args['skip-reference'] ? 2 : 4)));
	const packageDir = args['package-dir'] ?? REPO_ROOT;

	const startedAt = new Date();
	assertPackageBuilt(packageDir);
	const install = await ensureN8nInstalled();
	const machine = machineInfo();
	const workDir = mkdtempSync(join(tmpdir(), 'tiktok-bench-concurrent-'));
	const filesDir = join(workDir, 'files');
	const logDir = join(RESULTS_DIR, 'logs');
	mkdirSync(filesDir, { recursive: true });
	mkdirSync(logDir, { recursive: true });
	let emulator: EmulatorProcess | undefined;
	// Generated videos are gigabytes, the emulator a child process: both gone on any exit (the
	// queue stack has its own exit guard and reaper).
	process.on('exit', () => {
		rmSync(workDir, { recursive: true, force: true });
		if (emulator) {
			try {
				process.kill(emulator.pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
	});
	process.once('SIGINT', () => process.exit(130));
	process.once('SIGTERM', () => process.exit(143));
	const watchdog = setTimeout(() => {
		progress(`time budget of ${budgetMinutes} min exceeded: aborting`);
		process.exit(2);
	}, budgetMinutes * 60_000);
	watchdog.unref();

	progress(`${machine.cpuModel}, ${machine.cores} cores, load ${machine.loadAverage1m}; n8n ${install.n8nVersion}; ${executions} × ${sizeMiB} MiB, chunk ${chunkMiB} MiB, ${warmUps} warm-up and ${rounds} measured round(s); ${selected.join(', ')}`);
	progress(`writing ${executions} videos of ${sizeMiB} MiB`);
	const files = await generateConcurrentFiles(filesDir, executions, sizeMiB * MiB);
	const referenceDir = args['skip-reference'] ? undefined : buildReferencePackage(join(workDir, 'reference-package'));
	const results: ConcurrentScenarioResult[] = [];
	try {
		emulator = await startEmulatorProcess({ ...BENCH_EMULATOR_CONFIG, uploadDigest: 'sampled' });
		for (const scenario of concurrentScenarios(files, chunkMiB).filter((candidate) => selected.includes(candidate.id))) {
			progress(`${scenario.label}: fresh ${scenario.mode === 'queue' ? 'queue-mode stack (PostgreSQL, Redis, main, 1 worker)' : 'n8n'}`);
			results.push(await runConcurrentWithReference(emulator, scenario, { filesDir, logDir, packageDir }, progress, referenceDir, rounds, warmUps));
		}
	} finally {
		await emulator?.stop();
	}

	const checks = results.flatMap(concurrentTargets);
	const durationSeconds = Math.round((Date.now() - startedAt.getTime()) / 1000);
	const header =
		`${executions} concurrent uploads (${startedAt.toISOString()}, ${durationSeconds} s): ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.kernel}; ` +
		`n8n ${install.n8nVersion} on Node ${install.nodeVersion}; load average ${machine.loadAverage1m} at the start, ${Math.round(loadavg()[0] * 100) / 100} at the end.`;
	const markdown = [
		`# ${header}`,
		'',
		`Emulator in its own process, sampled digest (4 KiB of every MiB; sizes and positions exact). Each scenario: a fresh n8n, ${warmUps} warm-up round(s),`,
		"then the measured round(s), 63 s apart for the node's per-minute init budget (a value per round, comma-separated), all executions started at once. Aggregate MB/s: all",
		'bytes over first TikTok node start → last end (10^6 bytes). Peak RSS growth: max(VmRSS sampled every 20 ms, VmHWM) of the uploading',
		'process minus its settled idle RSS before the round; Peak RSS is the same maximum itself; the last column is the first warm-up round over the fresh process.',
		'',
		concurrentTable(results),
		'',
		...concurrentThreadLines(results),
		...concurrentPeakLines(results),
		'',
		...checks.map((check) => `- ${check.pass ? 'met' : 'MISSED'}: ${check.name}: ${check.detail}`),
		'',
	].join('\n');
	mkdirSync(RESULTS_DIR, { recursive: true });
	const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
	const jsonFile = join(RESULTS_DIR, `concurrent-${stamp}.json`);
	writeFileSync(jsonFile, `${JSON.stringify({ startedAt: startedAt.toISOString(), durationSeconds, machine: machine as MachineInfo, versions: { n8n: install.n8nVersion, nodeRuntime: install.nodeVersion }, executions, sizeMiB, chunkMiB, warmUps, rounds, results, checks }, null, 2)}\n`);
	writeFileSync(join(RESULTS_DIR, 'concurrent.md'), markdown);
	process.stdout.write(`\n${markdown}\nJSON: ${jsonFile}; table: bench-results/concurrent.md\n`);
	clearTimeout(watchdog);
	if (checks.some((check) => !check.pass)) process.exitCode = 1;
}

if (require.main === module) {
	main().catch((error: Error) => {
		progress(`failed: ${error.stack ?? error.message}`);
		process.exit(1);
	});
}
