/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Runs baseline-upload.ts as its own process (on n8n's Node runtime, so both sides use the same
// Node) and returns its timing.
import { spawn } from 'child_process';
import { join } from 'path';
import { REPO_ROOT } from '../e2e/package-install';
import type { BaselineResult } from './baseline-upload';

export type { BaselineResult } from './baseline-upload';

export function runBaseline(
	nodeBin: string,
	emulatorUrl: string,
	file: string,
	videoSize: number,
	chunkSize: number,
	timeoutMs: number,
	connectionPerChunk = false,
	/** Uploads of the file in a row, in one process (as the node posts several items in one execution). */
	uploads = 1,
): Promise<BaselineResult> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			nodeBin,
			['--import', 'tsx', join('test', 'bench', 'baseline-upload.ts'), emulatorUrl, file, String(videoSize), String(chunkSize), connectionPerChunk ? 'connection-per-chunk' : 'keep-alive', String(uploads)],
			{ cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
		);
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (data: Buffer) => (stdout += data.toString()));
		child.stderr.on('data', (data: Buffer) => (stderr = (stderr + data.toString()).slice(-4000)));
		const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			const line = stdout.trim().split('\n').pop() ?? '';
			if (code === 0 && line.startsWith('{')) resolve(JSON.parse(line) as BaselineResult);
			else reject(new Error(`baseline upload failed (code ${code}, signal ${signal}): ${stderr.trim()}`));
		});
	});
}
