/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// The TikTok emulator in its own process: it SHA-256-hashes every uploaded byte, and on a 2-core
// machine that work must not share an event loop with the baseline client or the sampler.
// Both the baseline and n8n upload to this one process, so they pay the same server-side cost.
import { spawn, type ChildProcess } from 'child_process';
import { join } from 'path';
import { REPO_ROOT } from '../e2e/package-install';
import type { ConfigPatch } from '../emulator';

const START_TIMEOUT_MS = 30_000;
const STOP_GRACE_MS = 5_000;
const CONTROL_TIMEOUT_MS = 30_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Uploads of gigabytes, many posts in a few minutes: TikTok's per-minute and daily caps are lifted. */
export const BENCH_EMULATOR_CONFIG: ConfigPatch = {
	rateLimits: false,
	dailyPostCap: 1_000_000,
	pendingDraftCap: 1_000_000,
};

export interface EmulatorProcess {
	url: string;
	pid: number;
	/** Calls the control API (/__emulator/<path>); throws unless it answers 200. */
	control(path: string, body?: unknown, method?: string): Promise<Json>;
	stop(): Promise<void>;
}

export async function startEmulatorProcess(
	config: ConfigPatch = BENCH_EMULATOR_CONFIG,
	options: { profileDir?: string } = {},
): Promise<EmulatorProcess> {
	const profile = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
	const child = spawn(
		process.execPath,
		[...profile, '--import', 'tsx', join('test', 'emulator', 'cli.ts'), '--port', '0', '--config', JSON.stringify(config)],
		{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
	);
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
	let stderr = '';
	child.stderr?.on('data', (data: Buffer) => {
		stderr = (stderr + data.toString()).slice(-4000);
	});
	let url: string;
	try {
		url = await waitForUrl(child, () => stderr);
	} catch (error) {
		child.kill('SIGKILL');
		throw error;
	}
	// Keep draining stdout so the emulator can never block on a full pipe.
	child.stdout?.resume();

	const control = async (path: string, body?: unknown, method = body === undefined ? 'GET' : 'POST'): Promise<Json> => {
		const response = await fetch(`${url}/__emulator/${path}`, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
		});
		const text = await response.text();
		if (response.status !== 200) throw new Error(`emulator ${method} ${path}: ${response.status} ${text.slice(0, 300)}`);
		return text ? JSON.parse(text) : undefined;
	};

	return {
		url,
		pid: child.pid as number,
		control,
		stop: async () => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
			await exited;
			clearTimeout(timer);
		},
	};
}

function waitForUrl(child: ChildProcess, stderr: () => string): Promise<string> {
	return new Promise((resolve, reject) => {
		let stdout = '';
		const timer = setTimeout(() => fail(new Error(`emulator did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
		const onData = (data: Buffer) => {
			stdout += data.toString();
			const match = /http:\/\/127\.0\.0\.1:\d+/.exec(stdout);
			if (match) done(match[0]);
		};
		const onExit = (code: number | null) => fail(new Error(`emulator exited early (code ${code}): ${stderr()}`));
		const cleanup = () => {
			clearTimeout(timer);
			child.stdout?.off('data', onData);
			child.off('exit', onExit);
		};
		const done = (url: string) => {
			cleanup();
			resolve(url);
		};
		const fail = (error: Error) => {
			cleanup();
			reject(error);
		};
		child.stdout?.on('data', onData);
		child.once('exit', onExit);
	});
}
