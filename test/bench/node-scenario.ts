/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// One node scenario on a fresh n8n: warm it up, measure its idle memory, then run the workflow
// a few times while sampling the memory of n8n's processes. A fresh n8n per scenario, because
// memory a previous upload left to the allocator would otherwise hide part of the next one's.
// Run by run, so the bench can alternate the runs of two packages' n8n (see interleave.ts).
import { readFileSync } from 'fs';
import { setTimeout as sleep } from 'timers/promises';
import { join } from 'path';
import { inspectorUrlFromLog, keptMemoryBetween, startKeptMemoryProbe, type KeptMemory, type KeptMemorySample } from './kept-memory';
import type { EmulatorProcess, Json } from './emulator-process';
import { uploadPhases, type UploadPhases } from './upload-phases';
import { startBenchN8n, type BenchN8n, type WorkflowRun } from './n8n-bench';
import {
	commandLine,
	cpuDuring,
	threadCpuDuring,
	type ThreadCpu,
	IDLE_SETTLE,
	median,
	peakBetween,
	processTree,
	readIo,
	readMemory,
	resetPeak,
	RssSampler,
	type RssSample,
} from './rss-sampler';

const MiB = 1024 * 1024;
const KiB = 1024;
const SAMPLE_INTERVAL_MS = 20;
const TIMELINE_STEP_MS = 100;
/** Each last-resort collection of n8n's ~200 MiB heap pauses it for about 250-400 ms. */
const KEPT_MEMORY_INTERVAL_MS = 1_000;

export interface NodeScenario {
	id: string;
	label: string;
	/** One item per entry (the same file may appear several times). */
	files: string[];
	bytesPerItem: number;
	sha256: string;
	/** The node's "Chunk Size (MB)" option, in MiB as the node reads it. */
	chunkSizeMb: number;
	runs: number;
	timeoutMs: number;
	/**
	 * Warm up with one unmeasured run of the scenario's own files instead of a 1 MiB file, for
	 * single-run scenarios: n8n's first large execution raises its allocator's and heap's
	 * high-water marks once (Read/Write Files alone leaves +17 to +57 MiB), which would otherwise be
	 * billed to the one measured upload. A real leak still shows: it grows again in the measured run.
	 */
	warmUpWithOwnFiles?: boolean;
	/**
	 * After the measured runs, run the files once more while forcing V8's last-resort collection every
	 * KEPT_MEMORY_INTERVAL_MS through n8n's inspector, to read what n8n keeps (see kept-memory.ts).
	 * That run pauses n8n for each collection, so it is neither timed nor in the RSS figures.
	 */
	keptMemoryPass?: boolean;
	/** The files of the kept-memory run (default: `files`); it is untimed, so it may wait for TikTok's init limit. */
	keptMemoryFiles?: string[];
	/**
	 * Starts of consecutive runs (the warm-up included) at least this far apart. The node keeps
	 * TikTok's 6 video inits per minute per token, so a run of several items that started within a
	 * minute of the previous one would wait for its turn, and that wait is TikTok's policy, not cost.
	 */
	runSpacingMs?: number;
}

export interface NodeRunMeasurement {
	executionId: string;
	seconds: number;
	mbPerSec: number;
	readFileSeconds: number;
	/** Highest sampled RSS of the uploading process while the TikTok node ran. */
	peakMiB: number;
	/** The same minus the idle RSS settled just before the run (or the RSS when the node started, if lower). */
	peakGrowthMiB: number;
	/** The kernel's peak (VmHWM) over the whole execution (Read/Write Files included), minus idle RSS. */
	hwmGrowthMiB: number;
	/** RSS when the node finished, minus idle: what stays behind. */
	endGrowthMiB: number;
	/** RSS when the node started, minus the settled idle: left by the nodes before it (Read/Write Files). */
	startGrowthMiB: number;
	/** The peak minus the RSS when the node started: what the upload itself added. */
	nodeGrowthMiB: number;
	/** Like peakGrowthMiB for RssAnon (heap and buffers; file-backed pages left out). */
	anonPeakGrowthMiB: number;
	/**
	 * CPU spent while the TikTok node ran: by the n8n process that uploaded (with its minor page
	 * faults: fresh memory it touched) and by the emulator receiving it. Less noisy than MB/s on a
	 * busy machine, and it shows where the time goes.
	 */
	cpu: { uploaderSeconds: number; uploaderMinorFaults: number; emulatorSeconds: number; uploaderThreads: ThreadCpu };
	/** The upload (all items) as the emulator saw it, against the TikTok node's start and end. */
	phases?: UploadPhases;
	/** Per item of a multi-item run: the peak while that item uploaded, minus idle. */
	perItemPeakGrowthMiB?: number[];
	/**
	 * RSS minus idle (MiB), every TIMELINE_STEP_MS from Read/Write Files' start to the TikTok
	 * node's end: shows where memory goes up and whether it comes back down.
	 */
	timeline: { stepMs: number; readStartsAtMs: number; tiktokStartsAtMs: number; growthMiB: number[] };
}

export interface NodeScenarioResult {
	id: string;
	label: string;
	items: number;
	bytesPerItem: number;
	totalBytes: number;
	chunkBytes: number;
	totalChunkCount: number;
	runs: NodeRunMeasurement[];
	medianMBps: number;
	memory: {
		/** The n8n process that did the upload (the one whose socket writes carried the video). */
		uploaderPid: number;
		uploaderRole: 'main' | 'child';
		uploaderCommand: string;
		idleMiB: number;
		/** False when some run started before n8n's RSS had settled (its growth is then less exact). */
		idleSteady: boolean;
		peakMiB: number;
		/** Max over runs of peakGrowthMiB. */
		growthMiB: number;
		/** Max over runs of nodeGrowthMiB. */
		nodeGrowthMiB: number;
		anonGrowthMiB: number;
		hwmGrowthMiB: number;
		limitMiB: number;
	};
	processes: Array<{ pid: number; role: 'main' | 'child'; command: string; idleMiB: number; wcharMiB: number }>;
	verified: boolean;
	/** From the extra, untimed run with forced collections (scenarios with keptMemoryPass). */
	keptMemory?: KeptMemory;
}

/**
 * One scenario on its own fresh n8n, measured run by run, so that the bench can alternate two
 * packages' runs (our node's and the reference node's n8n, both started) and pair runs that
 * share the same minutes on the machine.
 */
export interface NodeScenarioSession {
	/** Loads the node, its credential and n8n's code paths, then starts sampling memory and CPU. */
	warmUp(): Promise<void>;
	/** One measured run, after n8n's RSS has settled (measured in `result()`, in run order). */
	run(index: number): Promise<void>;
	/** Stops sampling, runs the kept-memory pass if asked, checks the uploads, and measures every run. */
	result(): Promise<NodeScenarioResult>;
	stop(): Promise<void>;
}

/** Starts the scenario's n8n (the emulator is not reset: a second session may share it). */
export async function startNodeScenario(
	emulator: EmulatorProcess,
	scenario: NodeScenario,
	env: { filesDir: string; warmupFile: string; logDir: string; packageDir?: string; profileDir?: string; side?: string },
	log: (line: string) => void,
): Promise<NodeScenarioSession> {
	const bench = await startBenchN8n(emulator, {
		name: `bench-${scenario.id}`,
		filesDir: env.filesDir,
		logFile: join(env.logDir, `${scenario.id}.n8n.log`),
		packageDir: env.packageDir,
		// Only 127.0.0.1, on a port the kernel picks; the probe finds it in n8n's log.
		nodeArgs: scenario.keptMemoryPass ? ['--inspect=127.0.0.1:0', '--expose-gc'] : undefined,
		// V8's CPU profile of n8n, written when it stops (open the .cpuprofile in Chrome DevTools).
		env: env.profileDir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${env.profileDir}` } : undefined,
	});
	return new Session(bench, emulator, scenario, env.warmupFile, env.side ?? 'node', log);
}

class Session implements NodeScenarioSession {
	private readonly mainPid: number;
	private pids: number[] = [];
	private sampler?: RssSampler;
	private ioBefore = new Map<number, ReturnType<typeof readIo>>();
	private readonly runs: Array<{ run: WorkflowRun; hwmKiB: Record<number, number>; idle: Idle }> = [];
	private lastRunStartedAt = Date.now();

	constructor(
		private readonly bench: BenchN8n,
		private readonly emulator: EmulatorProcess,
		private readonly scenario: NodeScenario,
		private readonly warmupFile: string,
		private readonly side: string,
		private readonly log: (line: string) => void,
	) {
		this.mainPid = bench.n8n.pid as number;
	}

	async warmUp(): Promise<void> {
		const { bench, scenario } = this;
		this.lastRunStartedAt = Date.now();
		if (scenario.warmUpWithOwnFiles) await bench.post(scenario.files, scenario.chunkSizeMb, scenario.timeoutMs);
		else await bench.post([this.warmupFile], 10, 60_000);
		await sleep(1_000);
		this.pids = processTree(this.mainPid);
		// The emulator is sampled too, for the CPU it spends receiving the upload.
		// n8n's main process (the uploader in regular mode) is also split by thread.
		this.sampler = new RssSampler([...this.pids, this.emulator.pid], SAMPLE_INTERVAL_MS, undefined, [this.mainPid]);
		this.sampler.start();
		this.ioBefore = new Map(this.pids.map((pid) => [pid, readIo(pid)]));
	}

	async run(index: number): Promise<void> {
		const { bench, scenario, pids } = this;
		if (!this.sampler) throw new Error('run() before warmUp()');
		const idle = await steadyIdle(this.sampler, this.mainPid, pids);
		// The node keeps TikTok's 6 video inits per minute per token: see runSpacingMs.
		const wait = this.lastRunStartedAt + (scenario.runSpacingMs ?? 0) - Date.now();
		if (wait > 0) await sleep(wait);
		this.lastRunStartedAt = Date.now();
		for (const pid of pids) resetPeak(pid);
		const run = await bench.post(scenario.files, scenario.chunkSizeMb, scenario.timeoutMs);
		const hwmKiB = Object.fromEntries(pids.map((pid) => [pid, readMemory(pid)?.hwmKiB ?? NaN]));
		this.runs.push({ run, hwmKiB, idle });
		const seconds = run.tiktok.executionMs / 1000;
		const mbPerSec = mbPerSecond(scenario.bytesPerItem * scenario.files.length, seconds);
		this.log(`    ${this.side} ${index + 1}/${scenario.runs}: ${mbPerSec.toFixed(1)} MB/s (${seconds.toFixed(2)} s)`);
		await sleep(500);
	}

	async result(): Promise<NodeScenarioResult> {
		const { bench, emulator, scenario, pids, runs, mainPid } = this;
		const sampler = this.sampler;
		if (!sampler || !runs.length) throw new Error('result() before any measured run');
		sampler.stop();
		const wchar = new Map(pids.map((pid) => [pid, (readIo(pid)?.wchar ?? 0) - (this.ioBefore.get(pid)?.wchar ?? 0)]));
		const totalBytes = scenario.bytesPerItem * scenario.files.length;
		// The process that wrote the video to its sockets is the one running the node.
		const uploaderPid = [...wchar.entries()].sort((a, b) => b[1] - a[1])[0][0];
		if ((wchar.get(uploaderPid) ?? 0) < totalBytes * runs.length) {
			throw new Error(`no n8n process wrote the ${totalBytes * runs.length} uploaded bytes (max ${wchar.get(uploaderPid)})`);
		}

		const keptMemory = scenario.keptMemoryPass ? await keptMemoryPass(bench, scenario, this.log) : undefined;
		const state = await emulator.control('state?since=0');
		const verified = runs.every(({ run }) => verifyUploads(state.posts, run.items, scenario));
		const first = runs[0].run.items[0];
		const idleKiB = runs[0].idle.rssKiB;
		const idle = idleKiB[uploaderPid];
		const measurements = runs.map(({ run, hwmKiB, idle: before }) =>
			measurement(run, sampler.samples, uploaderPid, emulator.pid, { rss: before.rssKiB[uploaderPid], anon: before.anonKiB[uploaderPid] }, hwmKiB[uploaderPid], totalBytes, state.posts),
		);
		return {
			id: scenario.id,
			label: scenario.label,
			items: scenario.files.length,
			bytesPerItem: scenario.bytesPerItem,
			totalBytes,
			chunkBytes: Number(first.chunk_size),
			totalChunkCount: Number(first.total_chunk_count),
			runs: measurements,
			medianMBps: median(measurements.map((m) => m.mbPerSec)),
			memory: {
				uploaderPid,
				uploaderRole: uploaderPid === mainPid ? 'main' : 'child',
				uploaderCommand: commandLine(uploaderPid).slice(0, 200),
				idleMiB: idle / KiB,
				idleSteady: runs.every((r) => r.idle.steady),
				peakMiB: Math.max(...measurements.map((m) => m.peakMiB)),
				growthMiB: Math.max(...measurements.map((m) => m.peakGrowthMiB)),
				nodeGrowthMiB: Math.max(...measurements.map((m) => m.nodeGrowthMiB)),
				anonGrowthMiB: Math.max(...measurements.map((m) => m.anonPeakGrowthMiB)),
				hwmGrowthMiB: Math.max(...measurements.map((m) => m.hwmGrowthMiB)),
				limitMiB: (2 * Number(first.chunk_size)) / MiB + 64,
			},
			processes: pids.map((pid) => ({
				pid,
				role: pid === mainPid ? 'main' : 'child',
				command: commandLine(pid).slice(0, 200),
				idleMiB: idleKiB[pid] / KiB,
				wcharMiB: (wchar.get(pid) ?? 0) / MiB,
			})),
			verified,
			keptMemory,
		};
	}

	async stop(): Promise<void> {
		this.sampler?.stop();
		await this.bench.stop();
	}
}

async function keptMemoryPass(bench: BenchN8n, scenario: NodeScenario, log: (line: string) => void): Promise<KeptMemory> {
	const inspectorUrl = inspectorUrlFromLog(readFileSync(bench.n8n.logFile, 'utf8'));
	if (!inspectorUrl) throw new Error(`n8n was started with --inspect but its log (${bench.n8n.logFile}) names no inspector URL`);
	const probe = startKeptMemoryProbe(bench.n8n.install.nodeBin, inspectorUrl, KEPT_MEMORY_INTERVAL_MS, Math.ceil((scenario.timeoutMs + 120_000) / 1000));
	let run: WorkflowRun;
	let samples: KeptMemorySample[];
	try {
		run = await bench.post(scenario.keptMemoryFiles ?? scenario.files, scenario.chunkSizeMb, scenario.timeoutMs + 120_000);
	} finally {
		samples = await probe.stop();
	}
	const kept = keptMemoryBetween(samples, run.tiktok.startTime, run.tiktok.startTime + run.tiktok.executionMs);
	if (!kept) throw new Error(`the kept-memory run took only ${samples.length} samples in all, too few while the node ran`);
	log(`    kept-memory run: ${(run.tiktok.executionMs / 1000).toFixed(1)} s, ${kept.samples} forced collections (median ${kept.medianCollectMs} ms each), data kept ${kept.dataFirstMiB.toFixed(0)} MiB, growth ${kept.dataGrowthMiB.toFixed(1)} MiB (code ${kept.codeGrowthMiB.toFixed(1)} MiB), array buffers ≤ ${kept.maxArrayBuffersMiB.toFixed(1)} MiB`);
	return kept;
}

/** MB/s as the bench reports it: 10^6 bytes per second. */
function mbPerSecond(bytes: number, seconds: number): number {
	return bytes / 1e6 / seconds;
}

function measurement(
	run: WorkflowRun,
	samples: RssSample[],
	pid: number,
	emulatorPid: number,
	idle: { rss: number; anon: number },
	hwmKiB: number,
	totalBytes: number,
	posts: Json[],
): NodeRunMeasurement {
	const from = run.tiktok.startTime;
	const to = from + run.tiktok.executionMs + SAMPLE_INTERVAL_MS;
	const seconds = run.tiktok.executionMs / 1000;
	const peak = peakBetween(samples, pid, from, to) ?? NaN;
	const firstAfter = (at: number) => samples.find((s) => s.at >= at && s.rssKiB[pid] !== undefined)?.rssKiB[pid] ?? NaN;
	const atEnd = firstAfter(to);
	const atStart = firstAfter(from);
	// After startup V8 may still be shrinking n8n's heap: if RSS fell below the settled idle by
	// the time the node started, growth counts from there (never understating the upload's share).
	const idleKiB = Math.min(idle.rss, atStart);
	const anonPeak = peakBetween(samples, pid, from, to, 'anonKiB') ?? NaN;
	const uploader = cpuDuring(samples, pid, from, to);
	const result: NodeRunMeasurement = {
		executionId: run.executionId,
		seconds,
		mbPerSec: mbPerSecond(totalBytes, seconds),
		readFileSeconds: run.read.executionMs / 1000,
		peakMiB: peak / KiB,
		peakGrowthMiB: (peak - idleKiB) / KiB,
		hwmGrowthMiB: (hwmKiB - idleKiB) / KiB,
		endGrowthMiB: (atEnd - idleKiB) / KiB,
		startGrowthMiB: (atStart - idle.rss) / KiB,
		nodeGrowthMiB: (peak - atStart) / KiB,
		anonPeakGrowthMiB: (anonPeak - idle.anon) / KiB,
		timeline: timeline(samples, pid, idleKiB, run.read.startTime, from, to),
		// Every item's chunks in order: several items read as one long upload.
		phases: uploadPhases(
			run.items.flatMap((item) => posts.find((p) => p.publish_id === item.publish_id)?.upload?.chunks ?? []),
			from,
			from + run.tiktok.executionMs,
		),
		cpu: {
			uploaderSeconds: uploader.cpuSeconds,
			uploaderMinorFaults: uploader.minorFaults,
			emulatorSeconds: cpuDuring(samples, emulatorPid, from, to).cpuSeconds,
			uploaderThreads: threadCpuDuring(samples, pid, from, to),
		},
	};
	if (run.items.length > 1) {
		// Each item's upload ends with its last chunk at the emulator; the next one starts after it.
		let itemStart = from;
		result.perItemPeakGrowthMiB = run.items.map((item) => {
			const post = posts.find((p) => p.publish_id === item.publish_id);
			const chunks: Array<{ at: string }> = post?.upload?.chunks ?? [];
			const itemEnd = chunks.length ? Date.parse(chunks[chunks.length - 1].at) : to;
			const itemPeak = peakBetween(samples, pid, itemStart, itemEnd) ?? NaN;
			itemStart = itemEnd;
			return (itemPeak - idleKiB) / KiB;
		});
	}
	return result;
}

interface Idle {
	rssKiB: Record<number, number>;
	anonKiB: Record<number, number>;
	/** False when RSS did not settle within IDLE_SETTLE.timeoutMs (the idle value is then less exact). */
	steady: boolean;
}

/**
 * Waits until n8n's RSS has settled (after startup, V8 keeps freeing memory for a while, and
 * measured against a moving idle the upload's growth would be wrong), then takes the median
 * of the settled window as the idle memory of every process.
 */
async function steadyIdle(sampler: RssSampler, mainPid: number, pids: number[]): Promise<Idle> {
	const started = Date.now();
	await sleep(IDLE_SETTLE.windowMs);
	for (;;) {
		const now = Date.now();
		const window = sampler.samples.filter((s) => s.at >= now - IDLE_SETTLE.windowMs && s.rssKiB[mainPid] !== undefined);
		const values = window.map((s) => s.rssKiB[mainPid]);
		const steady = values.length > 0 && Math.max(...values) - Math.min(...values) <= IDLE_SETTLE.toleranceKiB;
		if (steady || now - started > IDLE_SETTLE.timeoutMs) {
			const of = (kind: 'rssKiB' | 'anonKiB') =>
				Object.fromEntries(pids.map((pid) => [pid, median(window.map((s) => s[kind][pid]).filter((v) => v !== undefined))]));
			return { rssKiB: of('rssKiB'), anonKiB: of('anonKiB'), steady };
		}
		await sleep(250);
	}
}

function timeline(samples: RssSample[], pid: number, idleKiB: number, readStart: number, tiktokStart: number, end: number): NodeRunMeasurement['timeline'] {
	const growthMiB: number[] = [];
	for (let at = readStart; at < end && growthMiB.length < 10_000; at += TIMELINE_STEP_MS) {
		const peak = peakBetween(samples, pid, at, at + TIMELINE_STEP_MS - 1);
		growthMiB.push(peak === undefined ? NaN : Math.round((peak - idleKiB) / KiB));
	}
	return { stepMs: TIMELINE_STEP_MS, readStartsAtMs: 0, tiktokStartsAtMs: tiktokStart - readStart, growthMiB };
}

/** The emulator received every byte of every item, in order (its sha256 equals the file's). */
function verifyUploads(posts: Json[], items: Json[], scenario: NodeScenario): boolean {
	if (items.length !== scenario.files.length) return false;
	return items.every((item) => {
		const post = posts.find((p) => p.publish_id === item.publish_id);
		return post?.sha256 === scenario.sha256 && post?.bytes === scenario.bytesPerItem;
	});
}
