/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
import { readFileSync } from 'fs';
import { threadCpuBetween, readCpu, readThreadCpu } from '../bench/rss-sampler';

/**
 * This thread's own time on a CPU in ms, from the scheduler (`schedstat`, not the tick counts in
 * `stat` that the sampler reads). `process.cpuUsage()` counts every thread of the process: under a
 * loaded jest run the other threads took part of it and the main thread got 0.17 s of a 0.3 s burn.
 */
function threadCpuMs(): number {
	return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
}

/** Keeps this thread busy for about `ms` of its own CPU time. */
function burn(ms: number): void {
	const until = threadCpuMs() + ms;
	let x = 0;
	while (threadCpuMs() < until) x += Math.sqrt(x + 1);
}

describe('CPU split by thread (benchmark, /proc/<pid>/task)', () => {
	it("charges the main thread's work to 'main' and adds up to the process total", () => {
		const before = readThreadCpu(process.pid);
		const totalBefore = readCpu(process.pid);
		burn(300);
		const split = threadCpuBetween(before, readThreadCpu(process.pid));
		const total = (readCpu(process.pid)?.cpuSeconds ?? NaN) - (totalBefore?.cpuSeconds ?? NaN);
		expect(split.main).toBeGreaterThanOrEqual(0.25);
		const sum = Object.values(split).reduce((a, b) => a + b, 0);
		// Both come from the same clock ticks (10 ms each); threads read a moment apart may differ by a few.
		expect(Math.abs(sum - total)).toBeLessThan(0.05 * Object.keys(split).length + 0.05);
	});

	it('names kinds of threads without their numbers, so a pool sums into one entry', () => {
		const kinds = Object.keys(readThreadCpu(process.pid) ?? {});
		expect(kinds).toContain('main');
		for (const kind of kinds) expect(kind).not.toMatch(/\d$/);
	});

	it('counts a kind of thread that appeared meanwhile from zero, and nothing without a first reading', () => {
		expect(threadCpuBetween({ main: 1 }, { main: 1.5, 'libuv-worker': 0.2 })).toEqual({ main: 0.5, 'libuv-worker': 0.2 });
		expect(threadCpuBetween(undefined, { main: 1 })).toEqual({});
	});

	it('reports a process that is gone as unreadable', () => {
		expect(readThreadCpu(2 ** 22 + 12345)).toBeUndefined();
	});
});
