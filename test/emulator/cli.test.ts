/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The foreground CLI: prints one line with its URL, serves, and exits cleanly on SIGTERM/SIGINT.
import { spawn } from 'child_process';
import path from 'path';

const ROOT = path.resolve(__dirname, '../..');
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

function startCli(args: string[]) {
	const child = spawn(TSX, ['test/emulator/cli.ts', ...args], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	child.stdout.on('data', (part: Buffer) => (stdout += part.toString()));
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	const url = new Promise<string>((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`no URL line; output: ${stdout}`)), 30_000);
		child.stdout.on('data', () => {
			const match = /http:\/\/127\.0\.0\.1:(\d+)/.exec(stdout);
			if (match && stdout.endsWith('\n')) {
				clearTimeout(timer);
				resolve(match[0]);
			}
		});
		child.on('exit', () => {
			clearTimeout(timer);
			reject(new Error(`exited early; output: ${stdout}`));
		});
	});
	return { child, url, exited, output: () => stdout };
}

describe.each(['SIGTERM', 'SIGINT'] as const)('cli.ts (%s)', (signal) => {
	it('prints exactly one line with the URL and the media URL, serves the API and config, and exits 0', async () => {
		const cli = startCli([
			'--port',
			'0',
			'--config',
			JSON.stringify({ creator: { nickname: 'From CLI' } }),
		]);
		try {
			const url = await cli.url;
			expect(cli.output().trim().split('\n')).toHaveLength(1);
			expect(cli.output()).toContain('https://media.emulator.test/__emulator/media/');
			const config = (await (await fetch(`${url}/__emulator/config`)).json()) as {
				creator: { nickname: string };
			};
			expect(config.creator.nickname).toBe('From CLI');
			cli.child.kill(signal);
			expect(await cli.exited).toBe(0);
		} finally {
			cli.child.kill('SIGKILL');
		}
	}, 40_000);
});
