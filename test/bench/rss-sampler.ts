/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Samples the resident memory of a process tree from /proc (Linux only): VmRSS every few
// milliseconds, plus the kernel's own peak (VmHWM), which catches spikes between samples.
import { readdirSync, readFileSync, writeFileSync } from 'fs';
import { setTimeout as sleep } from 'timers/promises';

export interface ProcessMemory {
	rssKiB: number;
	hwmKiB: number;
}

export interface ProcessIo {
	/** Bytes the process passed to read()/write() and friends, sockets included. */
	rchar: number;
	wchar: number;
}

export interface RssSample {
	/** Date.now() of the sample: comparable with n8n's node start times. */
	at: number;
	/** VmRSS per pid. */
	rssKiB: Record<number, number>;
	/** RssAnon per pid: heap and buffers only, without file-backed pages the kernel may reclaim. */
	anonKiB: Record<number, number>;
	/** CPU time and minor faults so far, per pid. */
	cpu: Record<number, ProcessCpu>;
	/** CPU seconds so far per kind of thread, for the pids asked for (see readThreadCpu). */
	threads?: Record<number, ThreadCpu>;
}

/** CPU seconds (user + system) per kind of thread: 'main', 'libuv-worker', 'V8Worker' (Node 24's names), … */
export type ThreadCpu = Record<string, number>;

function readStatus(pid: number): string | undefined {
	try {
		return readFileSync(`/proc/${pid}/status`, 'utf8');
	} catch {
		return undefined; // the process has gone
	}
}

function statusField(status: string, field: string): number | undefined {
	const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
	return match ? Number(match[1]) : undefined;
}

function readStatusField(pid: number, field: string): number | undefined {
	const status = readStatus(pid);
	return status === undefined ? undefined : statusField(status, field);
}

export function readMemory(pid: number): ProcessMemory | undefined {
	const rssKiB = readStatusField(pid, 'VmRSS');
	const hwmKiB = readStatusField(pid, 'VmHWM');
	return rssKiB === undefined || hwmKiB === undefined ? undefined : { rssKiB, hwmKiB };
}

export function readIo(pid: number): ProcessIo | undefined {
	try {
		const text = readFileSync(`/proc/${pid}/io`, 'utf8');
		const value = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? NaN);
		return { rchar: value('rchar'), wchar: value('wchar') };
	} catch {
		return undefined;
	}
}

export interface ProcessCpu {
	/** User plus system CPU time, in seconds. */
	cpuSeconds: number;
	/** Page faults served without disk I/O: each new page the process touches costs one (and a zeroed page). */
	minorFaults: number;
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux architecture Node runs on

/**
 * A /proc/<pid>/stat (or task stat) line: its command (field 2, in parentheses, may contain spaces
 * and parentheses) and field N as a number, for N ≥ 3.
 */
function parseStat(stat: string): { command: string; field: (n: number) => number } {
	const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
	return { command: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), field: (n) => Number(fields[n - 3]) };
}

/** User plus system CPU time (fields 14 and 15), in seconds. */
function cpuSecondsOf(field: (n: number) => number): number {
	return (field(14) + field(15)) / CLOCK_TICKS_PER_SECOND;
}

export function readCpu(pid: number): ProcessCpu | undefined {
	try {
		const { field } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
		return { cpuSeconds: cpuSecondsOf(field), minorFaults: field(10) };
	} catch {
		return undefined;
	}
}

/**
 * CPU so far of each of a process's threads, summed per thread name with digits dropped. The
 * main thread (JavaScript, and the kernel's work for its socket writes) is 'main'; Node's file
 * reads run on 'libuv-worker' threads, V8's concurrent garbage collection on 'V8Worker'. One
 * reading of a process with a dozen threads costs ~0.2 ms of CPU (measured), so the sampler can
 * take one per sample and the split has the same edges as the process total.
 */
export function readThreadCpu(pid: number): ThreadCpu | undefined {
	let tids: string[];
	try {
		tids = readdirSync(`/proc/${pid}/task`);
	} catch {
		return undefined;
	}
	const byKind: ThreadCpu = {};
	for (const tid of tids) {
		try {
			const { command, field } = parseStat(readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8'));
			const kind = Number(tid) === pid ? 'main' : command.replace(/[\d\s]+$/, '') || 'other';
			byKind[kind] = (byKind[kind] ?? 0) + cpuSecondsOf(field);
		} catch {
			// the thread ended meanwhile (its CPU is lost to this split, not to the process total)
		}
	}
	return byKind;
}

/** Per kind of thread, what was spent between two readings (kinds only in `after` count from zero). */
export function threadCpuBetween(before: ThreadCpu | undefined, after: ThreadCpu | undefined): ThreadCpu {
	if (!before || !after) return {};
	return Object.fromEntries(Object.entries(after).map(([kind, seconds]) => [kind, seconds - (before[kind] ?? 0)]));
}

/** What a process spent between two readings. */
export function cpuBetween(before: ProcessCpu | undefined, after: ProcessCpu | undefined): ProcessCpu {
	if (!before || !after) return { cpuSeconds: NaN, minorFaults: NaN };
	return { cpuSeconds: after.cpuSeconds - before.cpuSeconds, minorFaults: after.minorFaults - before.minorFaults };
}

/** Resets VmHWM to the current RSS (Linux ≥ 4.0; needs to own the process). Returns false if refused. */
export function resetPeak(pid: number): boolean {
	try {
		writeFileSync(`/proc/${pid}/clear_refs`, '5');
		return true;
	} catch {
		return false;
	}
}

export function commandLine(pid: number): string {
	try {
		return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
	} catch {
		return '';
	}
}

/** The process and all its descendants (n8n's main process and its task runner). */
export function processTree(rootPid: number): number[] {
	const parentOf = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			// Field 4 is the parent pid.
			parentOf.set(Number(entry), parseStat(readFileSync(`/proc/${entry}/stat`, 'utf8')).field(4));
		} catch {
			// gone meanwhile
		}
	}
	const tree = [rootPid];
	for (let i = 0; i < tree.length; i++) {
		for (const [pid, parent] of parentOf) if (parent === tree[i] && !tree.includes(pid)) tree.push(pid);
	}
	return tree;
}

export class RssSampler {
	readonly samples: RssSample[] = [];
	private timer: NodeJS.Timeout | undefined;

	constructor(
		private readonly pids: number[],
		private readonly intervalMs: number,
		/** Bound on the number of samples kept (a forgotten sampler cannot grow without end). */
		private readonly maxSamples = 200_000,
		/** Pids whose CPU is also split by thread (see readThreadCpu) in every sample. */
		private readonly threadPids: number[] = [],
	) {}

	start(): void {
		this.sample();
		this.timer = setInterval(() => this.sample(), this.intervalMs);
	}

	/** Takes a last sample and stops; a second call changes nothing (the processes may be gone by then). */
	stop(): RssSample[] {
		if (!this.timer) return this.samples;
		clearInterval(this.timer);
		this.timer = undefined;
		this.sample();
		return this.samples;
	}

	private sample(): void {
		if (this.samples.length >= this.maxSamples) return;
		const rssKiB: Record<number, number> = {};
		const anonKiB: Record<number, number> = {};
		const cpu: Record<number, ProcessCpu> = {};
		for (const pid of this.pids) {
			const usage = readCpu(pid);
			if (usage) cpu[pid] = usage;
			const status = readStatus(pid);
			const rss = status === undefined ? undefined : statusField(status, 'VmRSS');
			const anon = status === undefined ? undefined : statusField(status, 'RssAnon');
			if (rss !== undefined) rssKiB[pid] = rss;
			if (anon !== undefined) anonKiB[pid] = anon;
		}
		const threads: Record<number, ThreadCpu> = {};
		for (const pid of this.threadPids) {
			const split = readThreadCpu(pid);
			if (split) threads[pid] = split;
		}
		this.samples.push({ at: Date.now(), rssKiB, anonKiB, cpu, ...(this.threadPids.length ? { threads } : {}) });
	}
}

/** Highest RSS (or RssAnon) of one process over the samples taken between two instants (inclusive). */
export function peakBetween(
	samples: RssSample[],
	pid: number,
	from: number,
	to: number,
	kind: 'rssKiB' | 'anonKiB' = 'rssKiB',
): number | undefined {
	let peak: number | undefined;
	for (const sample of samples) {
		if (sample.at < from || sample.at > to) continue;
		const rss = sample[kind][pid];
		if (rss !== undefined && (peak === undefined || rss > peak)) peak = rss;
	}
	return peak;
}

/** CPU a process spent between two instants: from the last sample at or before `from` to the first at or after `to`. */
export function cpuDuring(samples: RssSample[], pid: number, from: number, to: number): ProcessCpu {
	const before = [...samples].reverse().find((s) => s.at <= from && s.cpu[pid])?.cpu[pid];
	const after = samples.find((s) => s.at >= to && s.cpu[pid])?.cpu[pid];
	return cpuBetween(before, after);
}

/** Like cpuDuring, split by kind of thread (only for pids the sampler split). */
export function threadCpuDuring(samples: RssSample[], pid: number, from: number, to: number): ThreadCpu {
	const before = [...samples].reverse().find((s) => s.at <= from && s.threads?.[pid])?.threads?.[pid];
	const after = samples.find((s) => s.at >= to && s.threads?.[pid])?.threads?.[pid];
	return threadCpuBetween(before, after);
}

export function median(values: number[]): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The lower median of the finite values (NaN when there are none): a value that occurred, for timelines and CPU figures. */
export function lowerMedian(values: number[]): number {
	const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
	return sorted.length ? sorted[Math.floor((sorted.length - 1) / 2)] : NaN;
}

/**
 * What "settled" means for an idle n8n process: RSS moved less than `toleranceKiB` over the last
 * `windowMs`; after `timeoutMs` the idle value is taken anyway (less exact). V8's memory reducer
 * may shrink the heap for ~30 s after start-up.
 */
export const IDLE_SETTLE = { toleranceKiB: 4 * 1024, windowMs: 4_000, timeoutMs: 45_000 };
/** Idle is read from processes at least this old (see settledRss). */
const MIN_PROCESS_AGE_MS = 30_000;

/**
 * Waits (bounded) until the processes' RSS has settled: over the last IDLE_SETTLE.windowMs (read every
 * 100 ms from /proc) each moved less than IDLE_SETTLE.toleranceKiB, or IDLE_SETTLE.timeoutMs passed (`steady`
 * false). Returns each one's median over that window: its idle RSS. A fresh n8n process shrinks for
 * a while after start-up (a fresh worker here: about 490 → 280 MiB in its first seconds), so idle
 * read too early would understate what a run adds. (node-scenario.ts's steadyIdle applies the same
 * IDLE_SETTLE to n8n's main process from its sampler.)
 */
export async function settledRss(pids: number[], minAgeMs = MIN_PROCESS_AGE_MS): Promise<{ rssKiB: Record<number, number>; steady: boolean }> {
	// V8's memory reducer shrinks a fresh process's heap with a few collections, the first about 8 s
	// after start-up: a process younger than that can look steady and still be about to shrink.
	const youngest = Math.min(...pids.map(processAgeMs));
	if (youngest < minAgeMs) await sleep(minAgeMs - youngest);
	const started = Date.now();
	const readings: Array<{ at: number; rssKiB: Record<number, number> }> = [];
	for (;;) {
		const now = Date.now();
		readings.push({ at: now, rssKiB: Object.fromEntries(pids.map((pid) => [pid, readMemory(pid)?.rssKiB ?? NaN])) });
		const window = readings.filter((reading) => reading.at >= now - IDLE_SETTLE.windowMs);
		const values = (pid: number) => window.map((reading) => reading.rssKiB[pid]).filter(Number.isFinite);
		const steady = now - started >= IDLE_SETTLE.windowMs && pids.every((pid) => values(pid).length > 0 && Math.max(...values(pid)) - Math.min(...values(pid)) <= IDLE_SETTLE.toleranceKiB);
		if (steady || now - started > IDLE_SETTLE.timeoutMs) return { rssKiB: Object.fromEntries(pids.map((pid) => [pid, median(values(pid))])), steady };
		await sleep(100);
	}
}

/** How long ago the process started (/proc/<pid>/stat field 22, in clock ticks since boot); Infinity if gone. */
function processAgeMs(pid: number): number {
	try {
		const startTicks = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).field(22);
		const uptimeSeconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
		return uptimeSeconds * 1000 - (startTicks / CLOCK_TICKS_PER_SECOND) * 1000;
	} catch {
		return Infinity;
	}
}
