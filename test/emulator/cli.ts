/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
// Runs the emulator in the foreground: `npx tsx test/emulator/cli.ts --port <p> [--config '<json>']`.
// Prints one line with its URL once listening; exits cleanly on SIGINT/SIGTERM.
import { startEmulator } from './index';
import type { ConfigPatch } from './config';

function option(name: string): string | undefined {
	const args = process.argv.slice(2);
	const inline = args.find((arg) => arg.startsWith(`--${name}=`));
	if (inline) return inline.slice(name.length + 3);
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : undefined;
}

async function main(): Promise<void> {
	const port = Number(option('port') ?? 0);
	if (!Number.isInteger(port) || port < 0 || port > 65535)
		throw new Error('--port must be 0-65535');
	const configText = option('config');
	const config = configText ? (JSON.parse(configText) as ConfigPatch) : {};
	const emulator = await startEmulator({ port, host: option('host'), config });
	// One line (scripts wait for it); the media URL is the https form clients hand to TikTok.
	process.stdout.write(
		`TikTok API emulator listening on ${emulator.url} (PULL_FROM_URL media: ${emulator.mediaUrl('video-<bytes>.mp4')})\n`,
	);
	const stop = () => {
		void emulator.close().then(() => process.exit(0));
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
}

main().catch((error: Error) => {
	process.stderr.write(`emulator: ${error.message}\n`);
	process.exit(1);
});
