/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// `--pin-emulator`: gives the emulator a core of its own, as TikTok's servers never share a CPU
// with n8n. Not the default: on two cores it leaves n8n one core for its event loop, file
// reads, garbage collector and the kernel's loopback TCP work of both ends, which penalises n8n
// more than the bare client (1 GiB ratios 0.81-0.86 pinned against 0.9 ± 0.1 shared, 2026-11-26).
// Everything else (this runner, and what it starts: n8n, the bare client) inherits the
// remaining cores. Linux with util-linux's taskset only.
import { spawnSync } from 'child_process';
import { cpus } from 'os';

export interface CoreSplit {
	/** taskset CPU lists. */
	emulator: string;
	uploaders: string;
}

function taskset(args: string[]): boolean {
	const result = spawnSync('taskset', args, { stdio: 'ignore' });
	return result.status === 0;
}

/** Pins this process (and so every process it starts afterwards) away from the emulator's core. */
export function reserveEmulatorCore(): CoreSplit | undefined {
	const count = cpus().length;
	if (count < 2) return undefined;
	const split = { emulator: String(count - 1), uploaders: count === 2 ? '0' : `0-${count - 2}` };
	return taskset(['-a', '-p', '-c', split.uploaders, String(process.pid)]) ? split : undefined;
}

/** Moves a running process, all its threads included, onto the given cores. */
export function pinProcess(pid: number, cpuList: string): boolean {
	return taskset(['-a', '-p', '-c', cpuList, String(pid)]);
}
