/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
// `npm start`: the package inside a real n8n, connected to the TikTok emulator, ready to click.
//   npm start [-- --port 5678 --emulator-port 4010 --no-build]
// Ports can also come from PLAYGROUND_N8N_PORT / PLAYGROUND_EMULATOR_PORT. Ctrl-C stops everything.
import { startPlayground, type Playground } from './playground';

function option(name: string): string | undefined {
	const args = process.argv.slice(2);
	const inline = args.find((arg) => arg.startsWith(`--${name}=`));
	if (inline) return inline.slice(name.length + 3);
	const index = args.indexOf(`--${name}`);
	return index >= 0 ? args[index + 1] : undefined;
}

function portOption(flag: string, envName: string, fallback: number): number {
	const text = option(flag) ?? process.env[envName];
	const port = text === undefined ? fallback : Number(text);
	if (!Number.isInteger(port) || port <= 0 || port > 65535)
		throw new Error(`--${flag} must be a port number`);
	return port;
}

async function main(): Promise<void> {
	const playground: Playground = await startPlayground({
		n8nPort: portOption('port', 'PLAYGROUND_N8N_PORT', 5678),
		emulatorPort: portOption('emulator-port', 'PLAYGROUND_EMULATOR_PORT', 4010),
		build: !process.argv.includes('--no-build'),
	});
	const { n8n, owner } = playground;
	process.stdout.write(
		[
			'',
			'n8n with the TikTok node is running, connected to the TikTok emulator.',
			'',
			`  Editor:         ${n8n.baseUrl}`,
			`  Login:          ${owner.email} / ${owner.password}`,
			`  Demo workflow:  ${playground.workflowUrl}`,
			`  Credential:     "TikTok (emulator)" (already connected)`,
			`  Sample video:   ${playground.sampleVideo.path} (${playground.sampleVideo.bytes} bytes)`,
			`  Emulator:       ${playground.emulator.url} (state: ${playground.emulator.url}/__emulator/state)`,
			`  n8n log:        ${n8n.logFile}`,
			'',
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);

	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) {
			process.stderr.write('Stopping already; press Ctrl-C again in a few seconds to force.\n');
			process.once('SIGINT', () => process.exit(130));
			return;
		}
		stopping = true;
		process.stderr.write(`\n${signal}: stopping n8n and the emulator…\n`);
		playground.stop().then(
			() => process.exit(0),
			(error: Error) => {
				process.stderr.write(`${error.message}\n`);
				process.exit(1);
			},
		);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: Error) => {
	process.stderr.write(`playground: ${error.message}\n`);
	process.exit(1);
});
