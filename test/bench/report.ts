// The benchmark's table (stdout, README) and its JSON record (bench-results/, git-ignored).
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';
import type { MachineInfo } from './machine';
import type { NodeScenarioResult } from './node-scenario';

export interface BaselineSummary {
	id: string;
	chunkBytes: number;
	bytesPerUpload: number;
	/** MB/s (10^6 bytes per second) of each run (one upload of the file): init + all PUTs. */
	runsMBps: number[];
	medianMBps: number;
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
	scenarios: Array<NodeScenarioResult & { baselineId: string; ratio: number; loadAverage1m: number }>;
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
