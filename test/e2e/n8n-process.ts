/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Runs n8n commands (the long-running `start` and short CLI commands) with the pinned Node runtime,
// and stops a server together with its task-runner child by signalling its whole process group.
import { spawn, type ChildProcess } from 'child_process';
import { closeSync, openSync, readFileSync } from 'fs';
import type { N8nInstall } from './install-n8n';

const CLI_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 20_000;

// Jest sets NODE_ENV=test, which silences n8n's logger and changes its behaviour; n8n settings
// from the caller's shell would make runs differ between machines.
const INHERITED_BUT_HARMFUL =
	/^(N8N_.*|NODE_ENV|NODE_OPTIONS|JEST_WORKER_ID|WEBHOOK_URL|DB_.*|EXECUTIONS_.*|QUEUE_.*)$/;

/** The environment of every n8n process: the caller's, minus n8n settings that could leak in, plus `vars`. */
export function n8nEnvironment(
	install: N8nInstall,
	vars: Record<string, string>,
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [key, value] of Object.entries(process.env)) {
		if (INHERITED_BUT_HARMFUL.test(key)) continue;
		env[key] = value;
	}
	// n8n's bin has a `#!/usr/bin/env node` shebang and spawns its task runner with `node`.
	env.PATH = `${install.nodeBinDir}:${process.env.PATH ?? ''}`;
	return { ...env, ...vars };
}

export interface CliResult {
	code: number | null;
	output: string;
}

/** Runs one n8n CLI command to completion; output (stdout + stderr) is also appended to `logFile`. */
export function runN8nCli(
	install: N8nInstall,
	args: string[],
	env: NodeJS.ProcessEnv,
	logFile: string,
): Promise<CliResult> {
	return new Promise((resolve, reject) => {
		const log = openSync(logFile, 'a');
		const startOffset = readFileSync(logFile).length;
		// Output goes to a file, never a pipe: n8n spins when a pipe reader goes away (recipe §7).
		const child = spawn(install.nodeBin, [install.n8nBin, ...args], {
			env,
			stdio: ['ignore', log, log],
			detached: true,
		});
		closeSync(log);
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), CLI_TIMEOUT_MS);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('exit', (code) => {
			clearTimeout(timer);
			killGroup(child, 'SIGKILL');
			const output = readFileSync(logFile).subarray(startOffset).toString();
			resolve({ code, output });
		});
	});
}

export function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	if (!child.pid) return;
	try {
		process.kill(-child.pid, signal);
	} catch {
		// The group is already gone.
	}
}

export function hasExited(child: ChildProcess): boolean {
	return child.exitCode !== null || child.signalCode !== null;
}

/** SIGTERM to the group (n8n shuts down and ends its runner), SIGKILL if it has not exited in time. */
export async function stopGroup(child: ChildProcess): Promise<void> {
	if (!hasExited(child)) {
		const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
		killGroup(child, 'SIGTERM');
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<'timeout'>((resolve) => {
			timer = setTimeout(() => resolve('timeout'), STOP_GRACE_MS);
		});
		const outcome = await Promise.race([exited, timedOut]);
		clearTimeout(timer);
		if (outcome === 'timeout') {
			killGroup(child, 'SIGKILL');
			await exited;
		}
	}
	// Any straggler (e.g. a runner that ignored SIGTERM) goes with the group.
	killGroup(child, 'SIGKILL');
}
