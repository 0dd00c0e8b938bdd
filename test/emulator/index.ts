/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// TikTok API emulator: a strict local stand-in for TikTok's Content Posting and Login Kit OAuth
// APIs (see README.md). Start it in-process with startEmulator(), or from the shell with cli.ts.
import type { AddressInfo } from 'net';
import { MEDIA_HOST, MEDIA_PREFIX, type ConfigPatch } from './config';
import { Emulator } from './emulator';
import { createServer } from './server';

export type { EmulatorConfig, ConfigPatch } from './config';
export { defaultConfig, MEDIA_HOST } from './config';
export type { FaultSpec } from './faults';

export interface StartEmulatorOptions {
	/** 0 (default) picks a free port. */
	port?: number;
	/** Default 127.0.0.1. */
	host?: string;
	/** Settings merged over the defaults; POST /__emulator/reset returns to these. */
	config?: ConfigPatch;
}

export interface RunningEmulator {
	url: string;
	port: number;
	/** The public host of the generated media, `media.emulator.test` (pulled from this emulator). */
	mediaHost: string;
	/**
	 * The public https URL of generated media, as a client hands it to TikTok:
	 * mediaUrl('video-3000000.mp4') → https://media.emulator.test/__emulator/media/video-3000000.mp4.
	 * Verified by default; the emulator pulls it from its own http port. Fetch the bytes yourself
	 * from `${url}/__emulator/media/<name>`.
	 */
	mediaUrl(name: string): string;
	close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
	const host = options.host ?? '127.0.0.1';
	const emulator = new Emulator(options.config ?? {});
	const server = createServer(emulator);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, host, () => {
			server.off('error', reject);
			resolve();
		});
	});
	const port = (server.address() as AddressInfo).port;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
	emulator.baseUrl = url;
	emulator.webhooks.start();
	let closing: Promise<void> | undefined;
	return {
		url,
		port,
		mediaHost: MEDIA_HOST,
		mediaUrl: (name) => `${MEDIA_PREFIX}${name}`,
		close() {
			closing ??= new Promise<void>((resolve) => {
				emulator.shutdown();
				server.close(() => resolve());
				server.closeAllConnections();
			});
			return closing;
		},
	};
}
