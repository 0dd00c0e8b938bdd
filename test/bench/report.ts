/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The benchmark's table (stdout, README) and its JSON record (bench-results/, git-ignored).
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { MachineInfo } from './machine';
import type { NodeScenarioResult } from './node-scenario';
import { lowerMedian } from './rss-sampler';
import type { UploadPhases } from './upload-phases';

export interface BaselineSummary {
	id: string;
	chunkBytes: number;
	bytesPerUpload: number;
	/** MB/s (10^6 bytes per second) of each run (one upload of the file): init + all PUTs. */
	runsMBps: number[];
	medianMBps: number;
	/** Per run: CPU of the bare client and of the emulator over init + PUTs, and the client's minor page faults. */
	runsCpu: Array<{ clientSeconds: number; clientMinorFaults: number; emulatorSeconds: number }>;
	runsPhases: Array<UploadPhases | undefined>;
	/** The same client opening a connection per chunk, as n8n's HTTP helper does (default scenario only). */
	connectionPerChunk?: { runsMBps: number[]; medianMBps: number };
}

export interface TargetCheck {
	name: string;
	pass: boolean;
	detail: string;
}

export interface BenchRecord {
	startedAt: string;
	durationSeconds: number;
	machine: MachineInfo;
	versions: { n8n: string; nodeRuntime: string; package: string };
	setup: Record<string, unknown>;
	baselines: BaselineSummary[];
	/** loadAverage1m: the machine's load when the scenario ended (other work skews its numbers). */
	/**
	 * ratio: median over node runs of (node MB/s ÷ median MB/s of the baseline runs just before it);
	 * pairedRatios: those per-run ratios.
	 */
	scenarios: Array<NodeScenarioResult & { baselineId: string; ratio: number; pairedRatios: number[]; loadAverage1m: number }>;
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
	const header = ['Scenario', 'Chunk', 'Baseline MB/s', 'Node MB/s', 'Node / baseline', 'Peak RSS growth', 'Limit', 'Memory OK'];
	const rows = record.scenarios.map((s) => {
		const baseline = record.baselines.find((b) => b.id === s.baselineId);
		return [
			s.label,
			formatSize(s.chunkBytes),
			baseline ? baseline.medianMBps.toFixed(0) : '–',
			s.medianMBps.toFixed(0),
			Number.isFinite(s.ratio) ? s.ratio.toFixed(2) : '–',
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

/**
 * Where the CPU went, per GiB uploaded (medians over runs): the uploading n8n process against the
 * bare client, and the emulator behind each. On two shared cores, every extra CPU-second the
 * uploader spends is taken from the emulator, which is what sets the pace.
 */
export function cpuLines(record: BenchRecord): string[] {
	const perGiB = (value: number, bytes: number) => value / (bytes / 1024 ** 3);
	return record.scenarios.map((s) => {
		const baseline = record.baselines.find((b) => b.id === s.baselineId);
		const node = `n8n ${perGiB(lowerMedian(s.runs.map((r) => r.cpu.uploaderSeconds)), s.totalBytes).toFixed(2)} s` +
			` (${Math.round(perGiB(lowerMedian(s.runs.map((r) => r.cpu.uploaderMinorFaults)), s.totalBytes) / 1000)}k faults)` +
			` + emulator ${perGiB(lowerMedian(s.runs.map((r) => r.cpu.emulatorSeconds)), s.totalBytes).toFixed(2)} s`;
		const bare = baseline?.runsCpu.length
			? `bare client ${perGiB(lowerMedian(baseline.runsCpu.map((r) => r.clientSeconds)), baseline.bytesPerUpload).toFixed(2)} s` +
				` (${Math.round(perGiB(lowerMedian(baseline.runsCpu.map((r) => r.clientMinorFaults)), baseline.bytesPerUpload) / 1000)}k faults)` +
				` + emulator ${perGiB(lowerMedian(baseline.runsCpu.map((r) => r.emulatorSeconds)), baseline.bytesPerUpload).toFixed(2)} s`
			: 'no baseline';
		return `CPU per GiB, ${s.label}, ${formatSize(s.chunkBytes)} chunks: ${node}; ${bare}`;
	});
}

/** Setup before the first chunk, pace per chunk, and time after the last chunk: node vs bare client (medians). */
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
		return `Timeline, ${s.label}, ${formatSize(s.chunkBytes)} chunks: node ${describe(s.runs.map((r) => r.phases))}; bare client ${baseline ? describe(baseline.runsPhases) : 'none'}`;
	});
}

/** How much of the gap n8n's HTTP helper (a new connection per request) explains on its own. */
export function transportLines(record: BenchRecord): string[] {
	return record.baselines
		.filter((b) => b.connectionPerChunk)
		.map((b) => {
			const fresh = b.connectionPerChunk as { medianMBps: number };
			return (
				`Bare client opening a connection per chunk, as n8n's HTTP helper does (${b.id}): ` +
				`${fresh.medianMBps.toFixed(0)} MB/s = ${(fresh.medianMBps / b.medianMBps).toFixed(2)} × baseline`
			);
		});
}

export function targetLines(record: BenchRecord): string[] {
	return record.targets.map((t) => `${t.pass ? 'PASS' : 'FAIL'}  ${t.name}: ${t.detail}`);
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
