/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// `npm run bench`: Post Video's upload throughput, CPU and memory inside a real n8n, next to a
// bare Node client uploading the same bytes in the same chunk plan to the same emulator, once
// with a connection per chunk (as n8n's HTTP helper sends every request: what a node inside n8n
// can reach) and once over one keep-alive connection (the machine's limit). The targets weigh the
// node against the reference node (reference-node/), whose n8n runs beside the node's: their
// runs alternate, and each pair's ratio compares the same minutes (interleave.ts). Prints a
// table and writes bench-results/bench-<time>.json.
//
//   npm run bench                      1 GiB (default chunk), chunk sweep 5/32/61 MiB, 6 × 200 MiB in one execution
//   npm run bench:4g                   the same plus a 4 GiB upload (5 pairs)
//   npm run bench -- --concurrent      the same plus 4 executions uploading 256 MiB each at once (concurrent.ts: regular
//                                      mode from binary and from a URL, one queue worker from a URL, each also with the
//                                      reference node, after two warm-up rounds; ≈ 35 min more)
//   npm run bench -- --runs 9          pairs of runs (node, reference) of the 1 GiB default scenario (each pair after one run of each bare client); default 7
//   npm run bench -- --only default    just the 1 GiB default scenario (also: sweep, items, 4g)
//   npm run bench -- --package-dir D   benchmark another build of the package (D has package.json, dist)
//   npm run bench -- --skip-reference  without the reference node's runs (the targets are then against the bare client)
//   npm run bench -- --chunk-mib 16    the default, items and 4g rows with another chunk size than the node's default
//   npm run bench -- --pin-emulator    give the emulator a core of its own (n8n and the bare client share the rest)
//   npm run bench -- --profile         also write V8 CPU profiles of n8n and the emulator to bench-results/profiles/
//   npm run bench -- --full-hash       the emulator hashes every byte (sha256) instead of 4 KiB per MiB: byte-exact, but it then sets the pace
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { loadavg, tmpdir } from 'os';
import { join } from 'path';
import { parseArgs } from 'util';
import { DEFAULT_CHUNK_BYTES as NODE_DEFAULT_CHUNK_BYTES, planChunks } from '../../nodes/TikTok/shared/chunkPlan';
import { writeFileOfSize, type GeneratedFile } from '../e2e/files';
import { ensureN8nInstalled, type N8nInstall } from '../e2e/install-n8n';
import { assertPackageBuilt, REPO_ROOT } from '../e2e/package-install';
import { runBaseline } from './baseline';
import { concurrentPeakLines, concurrentScenarios, concurrentTable, concurrentTargets, concurrentThreadLines, generateConcurrentFiles, runConcurrentWithReference, type ConcurrentScenarioResult } from './concurrent';
import { BENCH_EMULATOR_CONFIG, startEmulatorProcess, type EmulatorProcess, type Json } from './emulator-process';
import { sampledDigestOfFile } from '../emulator/digest';
import { pinProcess, reserveEmulatorCore } from './cpu-affinity';
import { machineInfo } from './machine';
import { buildReferencePackage } from './reference-node/build';
import { pairedThroughput, pairOrder } from './interleave';
import { startNodeScenario, type NodeScenario, type NodeScenarioResult, type NodeScenarioSession } from './node-scenario';
import {
	cpuLines,
	threadCpuLines,
	formatSize,
	headerLine,
	phaseLines,
	transportLines,
	table,
	targetLines,
	writeRecord,
	type BareClientRuns,
	type BaselineSummary,
	type BenchRecord,
	type ReferenceComparison,
	type ScenarioComparison,
	type TargetCheck,
} from './report';
import { cpuBetween, median, readCpu } from './rss-sampler';
import { perGiBOverRuns, uploaderCpuEachRun } from './cpu-cost';
import { CPU_TARGET, THROUGHPUT_TARGET } from './targets';
import { uploadPhases } from './upload-phases';

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;
/** The largest chunk the node's option accepts: a whole 61 MiB, the last whole MiB under TikTok's 64 MB read as 10^6 bytes. */
const LARGEST_CHUNK_BYTES = 61 * MiB;
const SWEEP_CHUNK_BYTES = [5 * MiB, 10 * MiB, 32 * MiB, LARGEST_CHUNK_BYTES];
/**
 * Items per measured run: the node keeps TikTok's 6 video inits per minute per token, so a 7th
 * item in the same minute waits for its turn (TikTok's policy, not the node's cost). The runs
 * start a little over a minute apart for the same reason. The untimed kept-memory run has 10.
 */
const ITEM_COUNT = 6;
const KEPT_MEMORY_ITEM_COUNT = 10;
const INIT_WINDOW_SPACING_MS = 64_000;
const ITEM_BYTES = 200 * MiB;
/** The concurrent rows: as many executions at once, each uploading its own file of this size. */
const CONCURRENT_EXECUTIONS = 4;
const CONCURRENT_BYTES = 256 * MiB;
/**
 * Pairs in the 4 GiB row. With three, the median of pairs read 0.87 in a run where both sides'
 * medians were 451 and 450 MB/s and their CPU and chunk pace equal (pairs 0.87, 0.82, 1.21).
 */
const FOUR_GIB_RUNS = 5;
/**
 * Pairs in the items row (runs 64 s apart, so each pair costs about a minute). With three its CPU
 * missed once at 1.35×; with five its throughput read 0.80 in a run where two pairs' bare-client
 * runs dropped to 353 and 380 MB/s from about 600.
 */
const ITEMS_RUNS = 7;
/**
 * Pairs in each sweep row. A 1 GiB run lasts about 2 s and one of n8n's major collections costs
 * 0.3-0.7 s; the n8n warmed up first collects in its first two runs (bench README), so three
 * pairs put one more collection on one side.
 */
const SWEEP_RUNS = 5;
/** Growth of the data n8n keeps over the items upload that still counts as flat (0.5 MiB per item). */
const KEPT_DATA_TOLERANCE_MIB = 5;
/** Array buffers n8n holds apart from the node's chunks (measured idle: under 1 MiB). */
const N8N_OWN_BUFFERS_MIB = 4;
const RESULTS_DIR = join(REPO_ROOT, 'bench-results');

const { values: args } = parseArgs({
	options: {
		'4g': { type: 'boolean', default: false },
		concurrent: { type: 'boolean', default: false },
		runs: { type: 'string', default: '7' },
		only: { type: 'string', multiple: true },
		'budget-minutes': { type: 'string' },
		'package-dir': { type: 'string' },
		profile: { type: 'boolean', default: false },
		'chunk-mib': { type: 'string' },
		'pin-emulator': { type: 'boolean', default: false },
		'full-hash': { type: 'boolean', default: false },
		'skip-reference': { type: 'boolean', default: false },
	},
});
/** Parts: default, sweep, items; 4g and concurrent only when asked for (by their flag or --only). */
const OPT_IN_PARTS: Record<string, boolean> = { '4g': args['4g'] === true, concurrent: args.concurrent === true };
const selected = (part: string) => (args.only?.length ? args.only.includes(part) : OPT_IN_PARTS[part] ?? true);
const nodeRuns = Math.max(1, Math.min(10, Number(args.runs) || 7));
/** The node's default chunk size, unless --chunk-mib tries another one in the default, items and 4g rows. */
const DEFAULT_CHUNK_BYTES = args['chunk-mib'] ? Number(args['chunk-mib']) * MiB : NODE_DEFAULT_CHUNK_BYTES;
const budgetMinutes = Number(
	args['budget-minutes'] ?? (args['skip-reference'] ? 25 : 45) + (selected('4g') ? (args['skip-reference'] ? 15 : 30) : 0) + (selected('concurrent') ? (args['skip-reference'] ? 20 : 40) : 0),
);
const fullHash = args['full-hash'] === true;

const signed = (value: number) => `${value >= 0 ? '+' : ''}${value.toFixed(1)}`;
const progress = (line: string) => process.stderr.write(`[bench] ${line}\n`);
const seconds = (ms: number) => `${(ms / 1000).toFixed(0)} s`;

async function main(): Promise<void> {
	const startedAt = new Date();
	const workDir = mkdtempSync(join(tmpdir(), 'tiktok-bench-'));
	const packageDir = args['package-dir'] ?? REPO_ROOT;
	assertPackageBuilt(packageDir);
	const install = await ensureN8nInstalled();
	const machine = machineInfo();
	const filesDir = join(workDir, 'files');
	const logDir = join(RESULTS_DIR, 'logs');
	mkdirSync(filesDir, { recursive: true });
	mkdirSync(logDir, { recursive: true });
	// Generated videos are gigabytes: gone on any exit, including the time-budget abort below.
	process.on('exit', () => rmSync(workDir, { recursive: true, force: true }));
	const watchdog = setTimeout(() => {
		progress(`time budget of ${budgetMinutes} min exceeded: aborting`);
		process.exit(2);
	}, budgetMinutes * 60_000);
	watchdog.unref();

	progress(`${headerLine({ machine, versions: { n8n: install.n8nVersion, nodeRuntime: install.nodeVersion }, startedAt: startedAt.toISOString() } as BenchRecord)}`);
	if (machine.loadAverage1m > 0.5) progress(`warning: the machine is busy (load ${machine.loadAverage1m}); numbers will be noisy`);
	const cores = args['pin-emulator'] ? reserveEmulatorCore() : undefined;
	const profileDir = args.profile ? join(RESULTS_DIR, 'profiles') : undefined;
	if (profileDir) mkdirSync(profileDir, { recursive: true });
	// The receiving side must not set the pace: by default the emulator hashes 4 KiB of every MiB
	// (exact positions and sizes still checked); --full-hash hashes every byte.
	const emulator = await startEmulatorProcess({ ...BENCH_EMULATOR_CONFIG, uploadDigest: fullHash ? 'sha256' : 'sampled' }, { profileDir });
	if (cores && !pinProcess(emulator.pid, cores.emulator)) throw new Error('could not pin the emulator to its core');
	if (args['pin-emulator']) {
		progress(cores ? `emulator on CPU ${cores.emulator}, n8n and the bare client on CPU ${cores.uploaders}` : 'warning: could not pin (no taskset, or one core)');
	}
	const killEmulator = () => process.kill(emulator.pid, 'SIGKILL');
	process.on('exit', killEmulator);
	const baselines: BaselineSummary[] = [];
	const scenarios: BenchRecord['scenarios'] = [];
	const concurrent: ConcurrentScenarioResult[] = [];
	try {
		const warmup = await writeFileOfSize(join(filesDir, 'warmup.mp4'), 1 * MiB, 99);
		const context = { filesDir, warmupFile: warmup.path, logDir, packageDir, profileDir };
		let referenceDir: string | undefined;
		/** The reference package, built once on first use. */
		const referencePackage = () => (referenceDir ??= buildReferencePackage(join(workDir, 'reference-package')));
		/**
		 * One row: a fresh n8n with our package and (unless --skip-reference) one with the reference
		 * package, started side by side. Before each pair of runs the bare clients upload in turn
		 * (see BaselinePlan); then the node and the reference run back to back, alternating which
		 * goes first, so the two sides' runs share the same minutes on the machine.
		 */
		const measureRow = async (scenario: NodeScenario, baselinePlan: BaselinePlan) => {
			const baseline = emptyBaseline(baselinePlan);
			// A clean emulator (its start settings, no old posts); each n8n then gets its own tokens.
			await emulator.control('reset', {});
			const sessions: NodeScenarioSession[] = [];
			try {
				const node = await startNodeScenario(emulator, scenario, { ...context, packageDir }, progress);
				sessions.push(node);
				// The kept-memory pass judges our node only.
				const referenceScenario = { ...scenario, id: `${scenario.id}-reference`, keptMemoryPass: false, keptMemoryFiles: undefined };
				const reference = args['skip-reference'] ? undefined : await startNodeScenario(emulator, referenceScenario, { ...context, packageDir: referencePackage(), side: 'reference' }, progress);
				if (reference) sessions.push(reference);
				for (const session of sessions) await session.warmUp();
				for (let index = 0; index < scenario.runs; index++) {
					await runBareClientOnce(install, emulator, baselinePlan, baseline, false);
					await runBareClientOnce(install, emulator, baselinePlan, baseline, true);
					for (const side of reference ? pairOrder(node, reference, index) : [node]) await side.run(index);
				}
				const result = await node.result();
				const referenceResult = reference ? await reference.result() : undefined;
				for (const side of [result, referenceResult]) {
					if (side && side.chunkBytes !== baseline.chunkBytes) throw new Error(`${side.id} planned ${side.chunkBytes}-byte chunks, the baseline ${baseline.chunkBytes}`);
				}
				baseline.medianMBps = median(baseline.runsMBps);
				baseline.connectionPerChunk.medianMBps = median(baseline.connectionPerChunk.runsMBps);
				const mbps = (side: NodeScenarioResult) => side.runs.map((run) => run.mbPerSec);
				return {
					baseline,
					node: measured(result, baseline),
					reference: referenceResult && { ...measured(referenceResult, baseline), throughput: pairedThroughput(mbps(result), mbps(referenceResult)) },
				};
			} finally {
				for (const session of sessions) await session.stop();
			}
		};
		/** The row as the targets see it: runs against the bare runs just before them, and CPU per GiB. */
		const measured = (result: NodeScenarioResult, baseline: BaselineSummary) => {
			// Each run against the bare runs made just before it: the machine's speed drifts over
			// minutes, and a pair shares the same moment. The ratio is their median.
			const paired = (runsMBps: number[]) => result.runs.map((run, index) => run.mbPerSec / (runsMBps[index] ?? median(runsMBps)));
			const cpu = {
				n8n: perGiBOverRuns(result.runs.map((r) => r.cpu.uploaderSeconds), result.totalBytes),
				connectionPerChunk: perGiBOverRuns(baseline.connectionPerChunk.runsCpu.map((r) => r.clientSeconds), baseline.bytesPerRun),
				keepAlive: perGiBOverRuns(baseline.runsCpu.map((r) => r.clientSeconds), baseline.bytesPerRun),
			};
			return { result, pairedRatios: paired(baseline.connectionPerChunk.runsMBps), keepAlivePairedRatios: paired(baseline.runsMBps), cpu };
		};
		/** The row with our node and (unless --skip-reference) the reference node, runs alternating. */
		const runScenario = async (scenario: NodeScenario, baselinePlan: BaselinePlan) => {
			progress(
				`${scenario.label}, chunk option ${scenario.chunkSizeMb} MiB: fresh n8n` +
					(args['skip-reference'] ? '' : ' with the node and one with the reference node (the simplest chunked upload in n8n), runs alternating') +
					', bare clients before each pair',
			);
			const { baseline, node, reference: ref } = await measureRow(scenario, baselinePlan);
			baselines.push(baseline);
			const { result, pairedRatios, keepAlivePairedRatios, cpu } = node;
			const ratio = median(pairedRatios);
			const reference: ReferenceComparison | undefined = ref && {
				medianMBps: ref.result.medianMBps,
				ratio: median(ref.pairedRatios),
				pairedRatios: ref.pairedRatios,
				cpuPerGiB: ref.cpu.n8n,
				cpuEachRun: uploaderCpuEachRun(ref.result),
				peakGrowthMiB: ref.result.memory.growthMiB,
				threads: ref.result.runs.map((r) => r.cpu.uploaderThreads),
				phases: ref.result.runs.map((r) => r.phases),
				throughputRatio: ref.throughput.ratio,
				pairs: ref.throughput.pairs,
				nodeFirst: ref.throughput.nodeFirst,
				referenceFirst: ref.throughput.referenceFirst,
				cpuRatio: cpu.n8n / ref.cpu.n8n,
			};
			if (reference) {
				progress(
					`  → reference ${reference.medianMBps.toFixed(0)} MB/s, ratio to the bare client ${reference.ratio.toFixed(2)}; CPU ${reference.cpuPerGiB.toFixed(2)} s/GiB; ` +
						`peak RSS +${reference.peakGrowthMiB.toFixed(0)} MiB`,
				);
			}
			const comparison: ScenarioComparison = {
				ratio,
				pairedRatios,
				keepAliveRatio: median(keepAlivePairedRatios),
				keepAlivePairedRatios,
				cpuPerGiB: { ...cpu, ratio: cpu.n8n / cpu.connectionPerChunk },
				loadAverage1m: Math.round(loadavg()[0] * 100) / 100,
				...(reference ? { reference } : {}),
			};
			scenarios.push({ ...result, ...comparison, baselineId: baseline.id });
			progress(
				`  → bare client ${baseline.connectionPerChunk.medianMBps.toFixed(0)} MB/s with a connection per chunk, ${baseline.medianMBps.toFixed(0)} MB/s keep-alive; ` +
					`node ${result.medianMBps.toFixed(0)} MB/s, ratio ${comparison.ratio.toFixed(2)} (keep-alive ${comparison.keepAliveRatio.toFixed(2)}); ` +
					`CPU ${cpu.n8n.toFixed(2)} vs ${cpu.connectionPerChunk.toFixed(2)} s/GiB; peak RSS +${result.memory.growthMiB.toFixed(0)} MiB (limit ${result.memory.limitMiB.toFixed(0)})` +
					(reference ? `; node ÷ reference: throughput ${reference.throughputRatio.toFixed(2)}, CPU ${reference.cpuRatio.toFixed(2)}×` : ''),
			);
		};

		if (selected('default') || selected('sweep')) {
			const video = await generate(filesDir, 'video-1gib.mp4', GiB);
			const chunkSizes = selected('sweep') ? SWEEP_CHUNK_BYTES : [DEFAULT_CHUNK_BYTES];
			for (const chunkBytes of chunkSizes) {
				const isDefault = chunkBytes === DEFAULT_CHUNK_BYTES;
				if (!isDefault && !selected('sweep')) continue;
				await runScenario(
					{
						...nodeScenario(isDefault ? 'default' : `sweep-${chunkBytes}`, `1 GiB${isDefault ? ' (default chunk)' : ''}`, video, 1, chunkBytes, isDefault ? nodeRuns : SWEEP_RUNS),
						warmUpWithOwnFiles: !isDefault,
					},
					{ id: `1gib-${chunkBytes}`, video, preferredChunkBytes: chunkBytes, uploads: 1 },
				);
			}
			rmSync(video.path, { force: true });
		}

		if (selected('items')) {
			const video = await generate(filesDir, 'video-200mib.mp4', ITEM_BYTES);
			await runScenario(
				{
					...nodeScenario('items', `${ITEM_COUNT} × 200 MiB, one execution`, video, ITEM_COUNT, DEFAULT_CHUNK_BYTES, ITEMS_RUNS),
					warmUpWithOwnFiles: true,
					keptMemoryPass: true,
					keptMemoryFiles: Array.from({ length: KEPT_MEMORY_ITEM_COUNT }, () => video.path),
					runSpacingMs: INIT_WINDOW_SPACING_MS,
				},
				// The bare client posts the item's file as many times in a row as the node has items.
				{ id: 'items', video, preferredChunkBytes: DEFAULT_CHUNK_BYTES, uploads: ITEM_COUNT },
			);
			rmSync(video.path, { force: true });
		}

		if (selected('4g')) {
			const video = await generate(filesDir, 'video-4gib.mp4', 4 * GiB);
			await runScenario(
				{ ...nodeScenario('4gib', '4 GiB (default chunk)', video, 1, DEFAULT_CHUNK_BYTES, FOUR_GIB_RUNS), warmUpWithOwnFiles: true },
				{ id: '4gib', video, preferredChunkBytes: DEFAULT_CHUNK_BYTES, uploads: 1 },
			);
			rmSync(video.path, { force: true });
		}

		if (selected('concurrent')) {
			progress(`writing ${CONCURRENT_EXECUTIONS} videos of ${CONCURRENT_BYTES / MiB} MiB for the concurrent rows`);
			const files = await generateConcurrentFiles(filesDir, CONCURRENT_EXECUTIONS, CONCURRENT_BYTES, { digest: fullHash ? 'sha256' : 'sampled' });
			for (const scenario of concurrentScenarios(files, DEFAULT_CHUNK_BYTES / MiB)) {
				progress(`${scenario.label}: fresh ${scenario.mode === 'queue' ? 'queue-mode stack (PostgreSQL, Redis, main, 1 worker)' : 'n8n'}`);
				concurrent.push(await runConcurrentWithReference(emulator, scenario, { filesDir, logDir, packageDir }, progress, args['skip-reference'] ? undefined : referencePackage()));
			}
			for (const file of files) rmSync(file.path, { force: true });
		}
	} finally {
		await emulator.stop();
		process.off('exit', killEmulator);
	}

	const record: BenchRecord = {
		startedAt: startedAt.toISOString(),
		durationSeconds: Math.round((Date.now() - startedAt.getTime()) / 1000),
		machine,
		versions: {
			n8n: install.n8nVersion,
			nodeRuntime: install.nodeVersion,
			package: (JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version,
		},
		setup: {
			packageDir,
			binaryDataMode: "n8n's default (filesystem)",
			workflow: 'Webhook → Split Out → Read/Write Files (from disk) → TikTok Post Video (direct post)',
			throughput: 'MB/s = 10^6 bytes per second; node: the TikTok node’s execution time (creator info, init, all PUTs); baseline: init + all PUTs',
			memory: 'VmRSS of the n8n process that wrote the upload to its sockets, sampled every 20 ms while the TikTok node ran, minus its idle RSS after a warm-up run; fresh n8n per scenario (the node\'s and the reference\'s side by side, runs alternating)',
			keptMemory:
				'items scenario only: n8n started with --inspect=127.0.0.1:0 --expose-gc; after the measured run, one more untimed run during which the bench runs V8’s last-resort collection every second and reads process.memoryUsage() (data = heap without code spaces + external without array buffers)',
			emulator: fullHash
				? 'separate process, hashing every byte (sha256): it sets the pace'
				: 'separate process, hashing 4 KiB of every MiB (exact positions and sizes checked), shared by baseline and n8n',
			cpuAffinity: cores
				? `emulator alone on CPU ${cores.emulator} (it stands in for TikTok's servers); n8n, the bare client and this runner on CPU ${cores.uploaders}`
				: 'none: all processes share the CPUs',
			baseline:
				'bare Node script on n8n’s Node runtime: same file, same chunk plan, one chunk read ahead into two reused buffers; ' +
				'before each pair of runs (node and reference, alternating which goes first) it uploads once over one keep-alive connection and once with a connection per chunk (as n8n’s HTTP helper); ' +
				'targets against the connection-per-chunk runs',
		},
		baselines,
		scenarios,
		...(concurrent.length ? { concurrent } : {}),
		targets: [...checkTargets(scenarios, baselines), ...concurrent.flatMap(concurrentTargets)],
	};
	const file = writeRecord(RESULTS_DIR, record);
	const concurrentRows = concurrent.length ? `Concurrent uploads (no throughput target; memory: executions × 2 chunks + 64 MiB, or the reference node's growth where larger):\n\n${concurrentTable(concurrent)}\n\n${[...concurrentThreadLines(concurrent), ...concurrentPeakLines(concurrent)].join('\n')}\n\n` : '';
	process.stdout.write(`\n${headerLine(record)}\n\n${table(record)}\n\n${concurrentRows}${cpuLines(record).join('\n')}\n${threadCpuLines(record).join('\n')}\n${phaseLines(record).join('\n')}\n${transportLines(record).join('\n')}\n\n${targetLines(record).join('\n')}\n\nJSON: ${file} (${seconds(record.durationSeconds * 1000)})\n`);
	if (record.targets.some((t) => !t.pass && !t.informational)) process.exitCode = 1;
}

/** A test video; its `sha256` is the digest the emulator will report for it (sampled unless --full-hash). */
async function generate(dir: string, name: string, bytes: number): Promise<GeneratedFile> {
	const started = Date.now();
	const file = await writeFileOfSize(join(dir, name), bytes, bytes % 997);
	if (!fullHash) file.sha256 = await sampledDigestOfFile(file.path);
	progress(`generated ${name} in ${seconds(Date.now() - started)}`);
	return file;
}

function nodeScenario(id: string, label: string, video: GeneratedFile, items: number, chunkBytes: number, runs: number): NodeScenario {
	return {
		id,
		label,
		files: Array.from({ length: items }, () => video.path),
		bytesPerItem: video.bytes,
		sha256: video.sha256,
		chunkSizeMb: chunkBytes / MiB,
		runs,
		// Far above any plausible run (≥ 5 MB/s), so only a hang trips it.
		timeoutMs: 60_000 + ((video.bytes * items) / 5e6) * 1000,
	};
}

interface BaselinePlan {
	id: string;
	video: GeneratedFile;
	preferredChunkBytes: number;
	/** Posts of the file in one bare run (one per item of the node's run); each pair of node and reference runs follows one run of each bare client. */
	uploads: number;
}

function emptyRuns(): BareClientRuns {
	return { runsMBps: [], medianMBps: NaN, runsCpu: [], runsPhases: [] };
}

function emptyBaseline(plan: BaselinePlan): BaselineSummary {
	// The node's own planner decides the chunk size, so both sides send the same plan.
	const chunkPlan = planChunks(plan.video.bytes, plan.preferredChunkBytes);
	return { id: plan.id, chunkBytes: chunkPlan.chunkSize, bytesPerRun: plan.video.bytes * plan.uploads, ...emptyRuns(), connectionPerChunk: emptyRuns() };
}

/** One run of a bare client (the file posted `plan.uploads` times), checked intact at the emulator, with its CPU and the emulator's. */
async function runBareClientOnce(install: N8nInstall, emulator: EmulatorProcess, plan: BaselinePlan, summary: BaselineSummary, connectionPerChunk: boolean): Promise<void> {
	const runs = connectionPerChunk ? summary.connectionPerChunk : summary;
	const video = plan.video;
	const emulatorBefore = readCpu(emulator.pid);
	const timeoutMs = 60_000 + (summary.bytesPerRun / 5e6) * 1000;
	const result = await runBaseline(install.nodeBin, emulator.url, video.path, video.bytes, summary.chunkBytes, timeoutMs, connectionPerChunk, plan.uploads);
	// From before the client started to after it ended: its init and PUTs, plus a little idle.
	const emulatorSeconds = cpuBetween(emulatorBefore, readCpu(emulator.pid)).cpuSeconds;
	const posts: Json[] = (await emulator.control('state?since=0')).posts;
	const uploaded = result.publishIds.map((id) => posts.find((p) => p.publish_id === id));
	if (uploaded.length !== plan.uploads || uploaded.some((post) => post?.sha256 !== video.sha256)) {
		throw new Error(`a bare client upload (${result.publishIds.join(', ')}) arrived corrupted or is missing`);
	}
	const mbPerSec = summary.bytesPerRun / 1e6 / result.seconds;
	runs.runsMBps.push(mbPerSec);
	runs.runsCpu.push({ clientSeconds: result.cpuSeconds, clientMinorFaults: result.minorFaults, emulatorSeconds, clientThreads: result.threads });
	runs.runsPhases.push(uploadPhases(uploaded.flatMap((post) => post?.upload?.chunks ?? []), result.startedAtMs, result.startedAtMs + result.seconds * 1000));
	progress(`    bare client, ${connectionPerChunk ? 'connection per chunk' : 'keep-alive'} ${runs.runsMBps.length}: ${mbPerSec.toFixed(1)} MB/s`);
}

function checkTargets(scenarios: BenchRecord['scenarios'], baselines: BaselineSummary[]): TargetCheck[] {
	const checks: TargetCheck[] = [];
	const byId = (id: string) => scenarios.find((s) => s.id === id);
	const main = byId('default');
	const runsOf = (values: number[]) => values.map((r) => r.toFixed(2)).join(', ');
	for (const s of scenarios) {
		const baseline = baselines.find((b) => b.id === s.baselineId);
		const ref = s.reference;
		// With the reference node measured, the targets weigh the node against it (the node's own
		// cost); the bare client, which no node inside n8n can match, is then for information.
		if (ref) {
			checks.push({
				name: `throughput ≥ ${THROUGHPUT_TARGET} × the reference node in n8n (${s.label}, ${formatSize(s.chunkBytes)} chunks)`,
				pass: ref.throughputRatio >= THROUGHPUT_TARGET,
				detail:
					`median of ${ref.pairs.length} pairs of runs made back to back: ${ref.throughputRatio.toFixed(2)} (pairs ${runsOf(ref.pairs)}; ` +
					`node first ${ref.nodeFirst.toFixed(2)}, reference first ${ref.referenceFirst.toFixed(2)}); medians ${s.medianMBps.toFixed(0)} vs ${ref.medianMBps.toFixed(0)} MB/s; ` +
					`against the bare client: node ${s.ratio.toFixed(2)}, reference ${ref.ratio.toFixed(2)}`,
			});
			checks.push({
				name: `CPU per GiB ≤ ${CPU_TARGET} × the reference node's (${s.label}, ${formatSize(s.chunkBytes)} chunks)`,
				pass: ref.cpuRatio <= CPU_TARGET,
				detail:
					`all runs' CPU over all their bytes: n8n with the node ${s.cpuPerGiB.n8n.toFixed(2)} s vs with the reference ${ref.cpuPerGiB.toFixed(2)} s = ${ref.cpuRatio.toFixed(2)}×; ` +
					`per run (a major collection adds 0.3-0.7 s to the run it falls in): node ${runsOf(uploaderCpuEachRun(s))}, reference ${runsOf(ref.cpuEachRun ?? [])}`,
			});
		}
		checks.push({
			name: `throughput ≥ ${THROUGHPUT_TARGET} × bare client with a connection per chunk (${s.label}, ${formatSize(s.chunkBytes)} chunks)`,
			pass: s.ratio >= THROUGHPUT_TARGET,
			informational: !!ref,
			detail:
				`median of ${s.pairedRatios.length} node runs each over the bare runs just before it: ${s.ratio.toFixed(2)} (runs ${runsOf(s.pairedRatios)}; ` +
				`medians ${s.medianMBps.toFixed(0)} vs ${baseline?.connectionPerChunk.medianMBps.toFixed(0)} MB/s); ` +
				`against the keep-alive client, for information: ${s.keepAliveRatio.toFixed(2)} (runs ${runsOf(s.keepAlivePairedRatios)})` +
				(ref ? `; the reference node: ${ref.ratio.toFixed(2)}` : ''),
		});
		const cpu = s.cpuPerGiB;
		checks.push({
			name: `CPU per GiB ≤ ${CPU_TARGET} × bare client's (${s.label}, ${formatSize(s.chunkBytes)} chunks)`,
			pass: cpu.ratio <= CPU_TARGET,
			informational: !!ref,
			detail:
				`n8n ${cpu.n8n.toFixed(2)} s vs ${cpu.connectionPerChunk.toFixed(2)} s (connection per chunk) = ${cpu.ratio.toFixed(2)}×; keep-alive client ${cpu.keepAlive.toFixed(2)} s` +
				(ref ? `; the reference node ${ref.cpuPerGiB.toFixed(2)} s vs ${cpu.connectionPerChunk.toFixed(2)} s = ${(ref.cpuPerGiB / cpu.connectionPerChunk).toFixed(2)}×` : ''),
		});
	}
	for (const s of scenarios) {
		checks.push({
			name: `peak RSS growth ≤ 2 × chunk + 64 MiB (${s.label}, ${s.chunkBytes} B chunks)`,
			pass: s.memory.growthMiB <= s.memory.limitMiB,
			detail: `+${s.memory.growthMiB.toFixed(1)} MiB ≤ ${s.memory.limitMiB.toFixed(1)} MiB (VmHWM over the whole execution: +${s.memory.hwmGrowthMiB.toFixed(1)} MiB)`,
		});
	}
	// Compared on what the upload itself adds (peak minus RSS when the node starts): the growth
	// over idle also holds what Read/Write Files left behind, which grows with the file it copied.
	// "The same" within the target's own 64 MiB allowance for what is not chunks (garbage V8 has
	// not collected yet: sockets' read buffers, request objects); a leak of one chunk per item,
	// or of anything per chunk over 3 extra GiB, is far larger.
	const sameAs = (other: NodeScenarioResult | undefined, name: string) => {
		if (!main || !other) return;
		const tolerance = 64;
		const difference = other.memory.nodeGrowthMiB - main.memory.nodeGrowthMiB;
		checks.push({
			name: `memory does not grow with ${name}`,
			pass: difference <= tolerance,
			detail:
				`upload's own growth ${other.label}: +${other.memory.nodeGrowthMiB.toFixed(1)} MiB vs 1 GiB: +${main.memory.nodeGrowthMiB.toFixed(1)} MiB ` +
				`(difference ${difference.toFixed(1)} MiB, tolerance ${tolerance} MiB; over idle: +${other.memory.growthMiB.toFixed(1)} vs +${main.memory.growthMiB.toFixed(1)} MiB)`,
		});
	};
	sameAs(byId('4gib'), 'file size');
	const items = byId('items');
	sameAs(items, 'the number of items');
	const kept = items?.keptMemory;
	if (items && kept) {
		// RSS per item is no judge here: V8 grows n8n's young generation during a long execution
		// (n8n's HTTP helper leaves ~120 KB of garbage per request), so per-item peaks climb until
		// it stops growing. After a forced full collection only what is kept remains: a leak of
		// one chunk per item, or of 50 KB per chunk, exceeds these tolerances several times over.
		const perItem = items.runs[0].perItemPeakGrowthMiB ?? [];
		checks.push({
			name: 'memory kept does not grow from item to item',
			pass: kept.dataGrowthMiB <= KEPT_DATA_TOLERANCE_MIB,
			detail:
				`data kept after ${kept.samples} forced full collections during ${KEPT_MEMORY_ITEM_COUNT} items: ${kept.dataFirstMiB.toFixed(1)} MiB, ` +
				`growth ${kept.dataGrowthMiB.toFixed(1)} MiB (tolerance ${KEPT_DATA_TOLERANCE_MIB} MiB; V8's compiled code meanwhile ${signed(kept.codeGrowthMiB)} MiB); ` +
				`RSS per-item peaks, for comparison: +${perItem.map((v) => v.toFixed(0)).join(', +')} MiB`,
		});
		const chunksLimit = (2 * items.chunkBytes) / MiB + N8N_OWN_BUFFERS_MIB;
		checks.push({
			name: 'at most two chunks held at any time (array buffers alive after a full collection)',
			pass: kept.maxArrayBuffersMiB <= chunksLimit,
			detail: `largest ${kept.maxArrayBuffersMiB.toFixed(1)} MiB ≤ 2 × ${(items.chunkBytes / MiB).toFixed(0)} MiB + ${N8N_OWN_BUFFERS_MIB} MiB of n8n's own`,
		});
	}
	for (const s of scenarios) {
		if (!s.verified) checks.push({ name: `uploads arrived intact (${s.label})`, pass: false, detail: 'sha256 mismatch at the emulator' });
	}
	return checks;
}

main().catch((error: Error) => {
	progress(`failed: ${error.stack ?? error.message}`);
	process.exit(1);
});
