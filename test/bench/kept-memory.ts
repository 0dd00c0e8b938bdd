/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// What n8n keeps while the node uploads, read after forced full collections (see
// kept-memory-probe.ts): the data that survives a collection, and the array buffers (chunks)
// still alive. The data must stay flat from item to item and the buffers within two chunks;
// RSS cannot show either on its own.
import { spawn } from 'child_process';
import { join } from 'path';
import { REPO_ROOT } from '../e2e/package-install';
import { lowerMedian } from './rss-sampler';

const MiB = 1024 * 1024;
const round = (value: number) => Math.round(value * 100) / 100;

/** One reading right after a full collection: process.memoryUsage() in bytes, at Date.now() `at`. */
export interface KeptMemorySample {
	at: number;
	/** How long the forced collection took (it pauses n8n: the pass is not timed). */
	collectMs: number;
	heapUsed: number;
	/** The part of heapUsed in V8's code and trusted spaces (compiled code, bytecode, feedback). */
	codeSpaces: number;
	/** Memory outside the V8 heap owned by JS objects; includes arrayBuffers. */
	external: number;
	arrayBuffers: number;
	rss: number;
}

export interface KeptMemoryPoint {
	atMs: number;
	dataMiB: number;
	/** V8 heap without its code spaces. */
	heapDataMiB: number;
	/** External memory that is not array buffers (native memory JS objects own). */
	externalOtherMiB: number;
	arrayBuffersMiB: number;
	codeMiB: number;
}

export interface KeptMemory {
	/** Samples taken while the TikTok node ran. */
	samples: number;
	/** Data kept: V8 heap without its code spaces, plus external memory that is not array buffers (MiB, first sample). */
	dataFirstMiB: number;
	/** Growth of the data kept from the first to the last sample, read from a least-squares line (MiB). */
	dataGrowthMiB: number;
	/** The largest array-buffer memory alive after a collection: the chunks the node holds (MiB). */
	maxArrayBuffersMiB: number;
	/** Median pause of one forced collection (ms). */
	medianCollectMs: number;
	/** Growth of V8's code spaces over the same samples (MiB): compilation, reported apart. */
	codeGrowthMiB: number;
	/** Per sample (MiB), `atMs` from the node's start; dataMiB = heapDataMiB + externalOtherMiB. */
	series: KeptMemoryPoint[];
}

/** Node prints `Debugger listening on ws://127.0.0.1:<port>/<uuid>` when started with --inspect. */
export function inspectorUrlFromLog(log: string): string | undefined {
	return /Debugger listening on (ws:\/\/127\.0\.0\.1:\d+\/[\w-]+)/.exec(log)?.[1];
}

/** The probe's stdout: one JSON sample per line; anything else is ignored. */
export function parseProbeOutput(stdout: string): KeptMemorySample[] {
	const samples: KeptMemorySample[] = [];
	for (const line of stdout.split('\n')) {
		if (!line.startsWith('{')) continue;
		const value = JSON.parse(line) as Partial<KeptMemorySample>;
		if (typeof value.at === 'number' && typeof value.heapUsed === 'number' && typeof value.codeSpaces === 'number' && typeof value.arrayBuffers === 'number') {
			samples.push(value as KeptMemorySample);
		}
	}
	return samples;
}

/**
 * Summarises the samples taken between `from` and `to` (ms). The heap's growth is the slope of a
 * least-squares line over the window, so one sample taken while a request was half built does
 * not decide it. Undefined with fewer than three samples.
 */
export function keptMemoryBetween(samples: KeptMemorySample[], from: number, to: number): KeptMemory | undefined {
	const inside = samples.filter((s) => s.at >= from && s.at <= to);
	if (inside.length < 3) return undefined;
	const series = inside.map((s): KeptMemoryPoint => {
		const heapDataMiB = (s.heapUsed - s.codeSpaces) / MiB;
		const externalOtherMiB = (s.external - s.arrayBuffers) / MiB;
		return {
			atMs: s.at - from,
			dataMiB: round(heapDataMiB + externalOtherMiB),
			heapDataMiB: round(heapDataMiB),
			externalOtherMiB: round(externalOtherMiB),
			arrayBuffersMiB: round(s.arrayBuffers / MiB),
			codeMiB: round(s.codeSpaces / MiB),
		};
	});
	const xs = series.map((p) => p.atMs);
	return {
		samples: inside.length,
		dataFirstMiB: series[0].dataMiB,
		dataGrowthMiB: fittedGrowth(xs, series.map((p) => p.dataMiB)),
		codeGrowthMiB: fittedGrowth(xs, series.map((p) => p.codeMiB)),
		maxArrayBuffersMiB: Math.max(...series.map((p) => p.arrayBuffersMiB)),
		medianCollectMs: lowerMedian(inside.map((s) => s.collectMs)),
		series,
	};
}

/** Rise of the least-squares line through (x, y) from the first x to the last. */
export function fittedGrowth(xs: number[], ys: number[]): number {
	const meanX = xs.reduce((sum, x) => sum + x, 0) / xs.length;
	const meanY = ys.reduce((sum, y) => sum + y, 0) / ys.length;
	let covariance = 0;
	let variance = 0;
	for (let i = 0; i < xs.length; i++) {
		covariance += (xs[i] - meanX) * (ys[i] - meanY);
		variance += (xs[i] - meanX) ** 2;
	}
	return variance === 0 ? 0 : (covariance / variance) * (xs[xs.length - 1] - xs[0]);
}

export interface KeptMemoryProbe {
	/** Stops the probe and returns every sample it took. */
	stop(): Promise<KeptMemorySample[]>;
}

/** Starts kept-memory-probe.ts on n8n's Node runtime against n8n's inspector. */
export function startKeptMemoryProbe(nodeBin: string, inspectorUrl: string, intervalMs: number, maxSeconds: number): KeptMemoryProbe {
	const child = spawn(nodeBin, ['--import', 'tsx', join('test', 'bench', 'kept-memory-probe.ts'), inspectorUrl, String(intervalMs), String(maxSeconds)], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
	child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return {
		async stop() {
			if (child.exitCode === null) child.kill('SIGTERM');
			const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
			const code = await exited;
			clearTimeout(killer);
			const samples = parseProbeOutput(stdout);
			if (code !== 0 && samples.length === 0) throw new Error(`kept-memory probe failed (code ${code}): ${stderr.trim()}`);
			return samples;
		},
	};
}
