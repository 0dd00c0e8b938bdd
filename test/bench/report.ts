/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The benchmark's table (stdout, README) and its JSON record (bench-results/, git-ignored).
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { MachineInfo } from './machine';
import type { ConcurrentScenarioResult } from './concurrent';
import type { NodeScenarioResult } from './node-scenario';
import { perGiBOverRuns } from './cpu-cost';
import { lowerMedian, median, type ThreadCpu } from './rss-sampler';
import type { UploadPhases } from './upload-phases';

/** The runs of one bare client (no n8n) for one scenario. */
export interface BareClientRuns {
	/** MB/s (10^6 bytes per second) of each run (the file uploaded once per item of the scenario): init + all PUTs. */
	runsMBps: number[];
	medianMBps: number;
	/** Per run: CPU of the bare client and of the emulator over init + PUTs, and the client's minor page faults. */
	runsCpu: Array<{ clientSeconds: number; clientMinorFaults: number; emulatorSeconds: number; clientThreads?: ThreadCpu }>;
	runsPhases: Array<UploadPhases | undefined>;
}

/**
 * The bare client's runs for one scenario. The top-level runs keep one connection alive for all
 * chunks (the machine's limit); `connectionPerChunk` opens a connection per chunk and closes it,
 * as n8n's HTTP helper does for every request (what a node inside n8n can reach at best).
 */
export interface BaselineSummary extends BareClientRuns {
	id: string;
	chunkBytes: number;
	/** Bytes one run uploads: the file, as many times as the node has items. */
	bytesPerRun: number;
	connectionPerChunk: BareClientRuns;
}

/** CPU seconds per GiB uploaded (lower medians over runs). */
export interface CpuPerGiB {
	n8n: number;
	connectionPerChunk: number;
	keepAlive: number;
	/** n8n ÷ the bare client with a connection per chunk. */
	ratio: number;
}

export interface ScenarioComparison {
	/** Median over node runs of (node MB/s ÷ median MB/s of the connection-per-chunk bare client's runs just before it): the target. */
	ratio: number;
	pairedRatios: number[];
	/** The same against the keep-alive bare client: information (n8n's transport opens a connection per request). */
	keepAliveRatio: number;
	keepAlivePairedRatios: number[];
	cpuPerGiB: CpuPerGiB;
	/** The machine's load when the scenario ended (other work skews its numbers). */
	loadAverage1m: number;
	/** The same row run by the reference node in its own fresh n8n, run for run beside the node (see reference-node/): the targets. */
	reference?: ReferenceComparison;
}

/**
 * The bench's reference: the simplest chunked upload a node can do inside n8n, run like the node
 * (same workflow, its own n8n started beside the node's, runs alternating with the node's). What
 * n8n costs any node (its HTTP stack, its heap's garbage collections) shows in both, so node ÷
 * reference is the node's own cost.
 */
export interface ReferenceComparison {
	medianMBps: number;
	/** The reference's paired ratios to the connection-per-chunk client, like the node's `ratio`. */
	ratio: number;
	pairedRatios: number[];
	/** CPU per GiB of the reference's n8n, all runs over all their bytes; its pairs share the node's bare-client runs. */
	cpuPerGiB: number;
	/** The same for each run (absent in older records). */
	cpuEachRun?: number[];
	peakGrowthMiB: number;
	threads: ThreadCpu[];
	/** Each measured run's chunk timeline at the emulator (absent in records from before 2026-11-30). */
	phases?: Array<UploadPhases | undefined>;
	/** Median over pairs of runs made back to back (the two n8n alternate) of node MB/s ÷ reference MB/s: the throughput target. */
	throughputRatio: number;
	/** Each pair's node ÷ reference, and the medians of the pairs the node ran first in and of those the reference did. */
	pairs: number[];
	nodeFirst: number;
	referenceFirst: number;
	/** Node CPU per GiB ÷ the reference's: the CPU target. */
	cpuRatio: number;
}

export interface TargetCheck {
	name: string;
	pass: boolean;
	detail: string;
	/** A comparison printed for information only: it never fails the bench. */
	informational?: boolean;
}

export interface BenchRecord {
	startedAt: string;
	durationSeconds: number;
	machine: MachineInfo;
	versions: { n8n: string; nodeRuntime: string; package: string };
	setup: Record<string, unknown>;
	baselines: BaselineSummary[];
	scenarios: Array<NodeScenarioResult & ScenarioComparison & { baselineId: string }>;
	/** `--concurrent`: several executions uploading at once (concurrent.ts). */
	concurrent?: ConcurrentScenarioResult[];
	targets: TargetCheck[];
}

const MiB = 1024 * 1024;

export function formatSize(bytes: number): string {
	if (bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0) return `${bytes / 1024 ** 3} GiB`;
	if (bytes % MiB === 0) return `${bytes / MiB} MiB`;
	if (bytes % 1_000_000 === 0) return `${bytes / 1_000_000} MB`;
	return `${bytes} B`;
}

function pad(cells: string[], widths: number[]): string {
	return `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
}

/** A Markdown table: readable in a terminal and pasted as is into the README. */
export function table(record: BenchRecord): string {
	const header = [
		'Scenario',
		'Chunk',
		'Runs',
		'Bare, keep-alive MB/s',
		'Bare, conn. per chunk MB/s',
		'Node MB/s',
		'Node / conn. per chunk',
		'Node / keep-alive',
		'CPU s/GiB n8n vs bare',
		'Reference MB/s',
		'Node / reference',
		'CPU s/GiB node vs reference',
		'Peak RSS growth',
		'Limit',
		'Memory OK',
	];
	const rows = record.scenarios.map((s) => {
		const baseline = record.baselines.find((b) => b.id === s.baselineId);
		const fixed = (value: number | undefined, digits: number) => (value !== undefined && Number.isFinite(value) ? value.toFixed(digits) : '–');
		return [
			s.label,
			formatSize(s.chunkBytes),
			String(s.runs.length),
			fixed(baseline?.medianMBps, 0),
			fixed(baseline?.connectionPerChunk.medianMBps, 0),
			s.medianMBps.toFixed(0),
			fixed(s.ratio, 2),
			fixed(s.keepAliveRatio, 2),
			`${fixed(s.cpuPerGiB.n8n, 2)} vs ${fixed(s.cpuPerGiB.connectionPerChunk, 2)} (${fixed(s.cpuPerGiB.ratio, 2)}×)`,
			fixed(s.reference?.medianMBps, 0),
			fixed(s.reference?.throughputRatio, 2),
			s.reference ? `${fixed(s.cpuPerGiB.n8n, 2)} vs ${fixed(s.reference.cpuPerGiB, 2)} (${fixed(s.reference.cpuRatio, 2)}×)` : '–',
			`${s.memory.growthMiB.toFixed(0)} MiB`,
			`${s.memory.limitMiB.toFixed(0)} MiB`,
			s.memory.growthMiB <= s.memory.limitMiB ? 'yes' : 'NO',
		];
	});
	const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
	return [pad(header, widths), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.map((r) => pad(r, widths))].join('\n');
}

export function headerLine(record: BenchRecord): string {
	const m = record.machine;
	return (
		`${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM, ${m.kernel}; n8n ${record.versions.n8n} on Node ${record.versions.nodeRuntime}; ` +
		`load average ${m.loadAverage1m} at start; ${record.startedAt.slice(0, 10)}`
	);
}

/** CPU per GiB of one bare client's runs (all runs over all their bytes), with its minor page faults and the emulator's CPU behind it. */
function bareCpu(runs: BareClientRuns, bytes: number): string {
	if (!runs.runsCpu.length) return 'not run';
	const perGiB = (key: 'clientSeconds' | 'clientMinorFaults' | 'emulatorSeconds') => perGiBOverRuns(runs.runsCpu.map((r) => r[key]), bytes);
	return `${perGiB('clientSeconds').toFixed(2)} s (${Math.round(perGiB('clientMinorFaults') / 1000)}k faults) + emulator ${perGiB('emulatorSeconds').toFixed(2)} s`;
}

/**
 * Where the CPU went, per GiB uploaded (all runs over all their bytes, as the CPU target counts
 * it): the uploading n8n process against both bare clients, and the emulator behind each. On two
 * shared cores, every extra CPU-second one side spends is taken from the other.
 */
export function cpuLines(record: BenchRecord): string[] {
	return record.scenarios.map((s) => {
		const baseline = record.baselines.find((b) => b.id === s.baselineId);
		const perGiB = (key: 'uploaderSeconds' | 'uploaderMinorFaults' | 'emulatorSeconds') => perGiBOverRuns(s.runs.map((r) => r.cpu[key]), s.totalBytes);
		const node = `n8n ${perGiB('uploaderSeconds').toFixed(2)} s (${Math.round(perGiB('uploaderMinorFaults') / 1000)}k faults) + emulator ${perGiB('emulatorSeconds').toFixed(2)} s`;
		const bare = baseline
			? `bare client, connection per chunk ${bareCpu(baseline.connectionPerChunk, baseline.bytesPerRun)}; keep-alive ${bareCpu(baseline, baseline.bytesPerRun)}`
			: 'no baseline';
		return `CPU per GiB, ${s.label}, ${formatSize(s.chunkBytes)} chunks: ${node}; ${bare}`;
	});
}

/** Thread kinds with at least this share of a process's CPU get their own entry; the rest is summed as 'other'. */
const THREAD_SHARE_SHOWN = 0.03;

/** Per kind of thread, CPU seconds per GiB: the median over runs, largest first. */
export function threadSplit(runs: ThreadCpu[], bytes: number): string {
	const kinds = [...new Set(runs.flatMap((run) => Object.keys(run)))];
	const perGiB = kinds
		.map((kind) => [kind, median(runs.map((run) => run[kind] ?? 0)) / (bytes / 1024 ** 3)] as const)
		.sort((a, b) => b[1] - a[1]);
	const total = perGiB.reduce((sum, [, seconds]) => sum + seconds, 0);
	const shown = perGiB.filter(([, seconds]) => seconds >= total * THREAD_SHARE_SHOWN);
	const other = total - shown.reduce((sum, [, seconds]) => sum + seconds, 0);
	return [...shown, ...(other > 0.005 ? [['other', other] as const] : [])].map(([kind, seconds]) => `${kind} ${seconds.toFixed(2)}`).join(', ');
}

/**
 * The same CPU split by kind of thread (medians, s/GiB): the main thread (JavaScript and the
 * kernel's work for its socket writes and reads), file reads on libuv's threads, V8's garbage
 * collection on its workers. Shows which part of n8n's cost is the node's and which is n8n's.
 */
export function threadCpuLines(record: BenchRecord): string[] {
	return record.scenarios.flatMap((s) => {
		const node = s.runs.map((r) => r.cpu.uploaderThreads).filter((split): split is ThreadCpu => !!split && Object.keys(split).length > 0);
		if (!node.length) return [];
		const baseline = record.baselines.find((b) => b.id === s.baselineId);
		const bare = baseline?.connectionPerChunk.runsCpu.map((r) => r.clientThreads).filter((split): split is ThreadCpu => !!split) ?? [];
		return [
			`CPU by thread, s/GiB, ${s.label}, ${formatSize(s.chunkBytes)} chunks: n8n ${threadSplit(node, s.totalBytes)}` +
				(s.reference?.threads.length ? `; reference node's n8n ${threadSplit(s.reference.threads, s.totalBytes)}` : '') +
				(bare.length && baseline ? `; bare client, connection per chunk ${threadSplit(bare, baseline.bytesPerRun)}` : ''),
		];
	});
}

/** Setup before the first chunk, pace per chunk, and time after the last chunk: node vs reference node vs bare client (medians). */
export function phaseLines(record: BenchRecord): string[] {
	const describe = (phases: Array<UploadPhases | undefined>) => {
		const known = phases.filter((p): p is UploadPhases => p !== undefined);
		if (!known.length) return 'not recorded';
		type Scalar = Exclude<keyof UploadPhases, 'slowestIntervalsMs'>;
		const of = (key: Scalar) => lowerMedian(known.map((p) => p[key])).toFixed(0);
		const slowest = known.map((p) => p.slowestIntervalsMs[0]).filter(Number.isFinite);
		return (
			`first chunk after ${of('toFirstChunkMs')} ms, then one every ${of('chunkIntervalMs')} ms ` +
			`(mean ${of('chunkIntervalMeanMs')}, longest ${slowest.length ? Math.max(...slowest) : '–'}) ` +
			`(${of('chunkTransferMs')} ms sending, ${of('turnaroundMs')} ms from answer to next request), done ${of('afterLastChunkMs')} ms after the last`
		);
	};
	return record.scenarios.map((s) => {
		const baseline = record.baselines.find((b) => b.id === s.baselineId);
		return (
			`Timeline, ${s.label}, ${formatSize(s.chunkBytes)} chunks: node ${describe(s.runs.map((r) => r.phases))}; ` +
			(s.reference?.phases ? `reference node ${describe(s.reference.phases)}; ` : '') +
			`bare client, connection per chunk ${baseline ? describe(baseline.connectionPerChunk.runsPhases) : 'none'}; keep-alive ${baseline ? describe(baseline.runsPhases) : 'none'}`
		);
	});
}

/** What n8n's HTTP helper (a new connection per request) costs on its own, without n8n: one bare client against the other. */
export function transportLines(record: BenchRecord): string[] {
	return record.baselines.map(
		(b) =>
			`Bare client opening a connection per chunk, as n8n's HTTP helper does (${b.id}): ` +
			`${b.connectionPerChunk.medianMBps.toFixed(0)} MB/s = ${(b.connectionPerChunk.medianMBps / b.medianMBps).toFixed(2)} × keep-alive`,
	);
}

export function targetLines(record: BenchRecord): string[] {
	return record.targets.map((t) => `${t.informational ? 'INFO' : t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.detail}`);
}

export function writeRecord(dir: string, record: BenchRecord): string {
	mkdirSync(dir, { recursive: true });
	const stamp = record.startedAt.replace(/[:.]/g, '-');
	const file = join(dir, `bench-${stamp}.json`);
	const text = `${JSON.stringify(record, null, 2)}\n`;
	writeFileSync(file, text);
	writeFileSync(join(dir, 'latest.json'), text);
	return file;
}
