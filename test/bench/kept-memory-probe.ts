/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
// Measures what an n8n process keeps, as opposed to what it has not collected yet: through n8n's
// inspector (n8n started with --inspect on 127.0.0.1 and --expose-gc), every interval it runs
// V8's last-resort collection (the one V8 runs before giving up on memory: it also empties the
// caches V8 only drops under pressure) and then reads process.memoryUsage(). RSS cannot tell
// kept from uncollected: V8 lets garbage pile up in a young generation it grows as it sees fit
// (16 → 32 → 64 MiB here).
// Run as its own process on n8n's Node runtime (it has a WebSocket client built in):
//   node --import tsx test/bench/kept-memory-probe.ts <inspector ws URL> <interval ms> <max seconds>
// Prints one JSON line (KeptMemorySample) per collection until SIGTERM or the time limit.
import type { KeptMemorySample } from './kept-memory';

interface InspectorSocket {
	send(data: string): void;
	close(): void;
	addEventListener(type: 'open' | 'error' | 'close', listener: () => void): void;
	addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}
declare const WebSocket: new (url: string) => InspectorSocket;

const [url, intervalArg, maxSecondsArg] = process.argv.slice(2);
const intervalMs = Math.max(50, Number(intervalArg) || 500);
const deadline = Date.now() + Math.min(3_600, Number(maxSecondsArg) || 600) * 1000;
const CALL_TIMEOUT_MS = 30_000;
/**
 * Evaluated inside n8n (Node ≥ 22.3 has process.getBuiltinModule; gc() takes options since V8 9). Code, bytecode and type
 * feedback live in V8's code and trusted spaces: they grow while V8 compiles n8n's code paths,
 * which is not data kept, so they are reported apart.
 */
const COLLECT_AND_READ_MEMORY = `(() => {
	const started = Date.now();
	gc({ type: 'major', execution: 'sync', flavor: 'last-resort' });
	return JSON.stringify({
		collectMs: Date.now() - started,
		usage: process.memoryUsage(),
		codeBytes: process.getBuiltinModule('v8').getHeapSpaceStatistics()
			.filter((space) => /code|trusted/.test(space.space_name))
			.reduce((sum, space) => sum + space.space_used_size, 0),
	});
})()`;

const socket = new WebSocket(url);
const pending = new Map<number, { resolve: (result: unknown) => void; reject: (error: Error) => void }>();
let nextId = 1;
let stopping = false;

socket.addEventListener('message', (event) => {
	const message = JSON.parse(String(event.data)) as { id?: number; result?: unknown; error?: { message: string } };
	const call = message.id === undefined ? undefined : pending.get(message.id);
	if (!call) return;
	pending.delete(message.id as number);
	if (message.error) call.reject(new Error(message.error.message));
	else call.resolve(message.result);
});
socket.addEventListener('error', () => fail('inspector connection failed'));
socket.addEventListener('close', () => (stopping ? process.exit(0) : fail('inspector connection closed')));
process.on('SIGTERM', () => {
	stopping = true;
	socket.close();
});

function fail(reason: string): never {
	process.stderr.write(`${reason}\n`);
	process.exit(1);
}

function call(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
	const id = nextId++;
	socket.send(JSON.stringify({ id, method, params }));
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${method} got no answer in ${CALL_TIMEOUT_MS} ms`)), CALL_TIMEOUT_MS);
		pending.set(id, {
			resolve: (result) => {
				clearTimeout(timer);
				resolve(result);
			},
			reject: (error) => {
				clearTimeout(timer);
				reject(error);
			},
		});
	});
}

async function sample(): Promise<KeptMemorySample> {
	const evaluated = (await call('Runtime.evaluate', { expression: COLLECT_AND_READ_MEMORY, returnByValue: true })) as {
		result: { value?: string };
		exceptionDetails?: { exception?: { description?: string } };
	};
	if (evaluated.exceptionDetails || !evaluated.result.value) {
		throw new Error(`could not collect in n8n (started without --expose-gc?): ${evaluated.exceptionDetails?.exception?.description ?? 'no result'}`);
	}
	const { collectMs, usage, codeBytes } = JSON.parse(evaluated.result.value) as { collectMs: number; usage: NodeJS.MemoryUsage; codeBytes: number };
	return {
		at: Date.now(),
		collectMs,
		heapUsed: usage.heapUsed,
		codeSpaces: codeBytes,
		external: usage.external,
		arrayBuffers: usage.arrayBuffers,
		rss: usage.rss,
	};
}

socket.addEventListener('open', async () => {
	try {
		while (!stopping && Date.now() < deadline) {
			const started = Date.now();
			process.stdout.write(`${JSON.stringify(await sample())}\n`);
			await new Promise((resolve) => setTimeout(resolve, Math.max(0, intervalMs - (Date.now() - started))));
		}
		stopping = true;
		socket.close();
	} catch (error) {
		if (!stopping) fail(`probe failed: ${(error as Error).message}`);
	}
});
