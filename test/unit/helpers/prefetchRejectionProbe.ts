/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
/**
 * Run in a child process by chunkStream.test.ts: jest swallows unhandled rejections, but a
 * plain Node process dies on one (exit code 1). Prints the items seen and the error caught.
 */
import { prefetchOne } from '../../../nodes/TikTok/shared/chunkStream';

async function* source(): AsyncGenerator<number> {
	yield 0;
	yield 1;
	throw new Error('item 2 failed');
}

const pause = () => new Promise((resolve) => setImmediate(resolve));

async function main(): Promise<void> {
	const seen: number[] = [];
	let caught = '';
	try {
		for await (const item of prefetchOne(source())) {
			seen.push(item);
			for (let i = 0; i < 5; i++) await pause(); // "uploading" while the read-ahead fails
		}
	} catch (error) {
		caught = (error as Error).message;
	}
	for (let i = 0; i < 5; i++) await pause();
	process.stdout.write(JSON.stringify({ seen, caught }));
}

void main();
