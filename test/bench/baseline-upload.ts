/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The physical limit: a minimal Node script, no n8n, that does exactly what the node does on the
// wire (init, then the same chunk plan PUT in order to the upload URL) as fast as it can: the file
// is read with one chunk ahead into two reused buffers, PUTs go over one keep-alive connection.
// Run as its own process on n8n's Node runtime:
//   node --import tsx test/bench/baseline-upload.ts <emulatorUrl> <file> <videoSize> <chunkSize> [connection-per-chunk|keep-alive] [uploads]
// With `uploads` > 1 it posts the file that many times in a row (each with its own init), as the
// node posts several items in one execution.
// With `connection-per-chunk` every PUT opens its own connection and closes it, as n8n's HTTP
// helper does (it builds a new agent for every request): that variant shows what n8n's
// transport costs on its own, apart from anything the node does.
// Prints one JSON line (BaselineResult) on stdout.
import { open, type FileHandle } from 'fs/promises';
import { Agent, request } from 'http';
import { readThreadCpu, threadCpuBetween, type ThreadCpu } from './rss-sampler';

export interface BaselineResult {
	/** The last upload's publish_id; publishIds has every one, in order. */
	publishId: string;
	publishIds: string[];
	videoSize: number;
	chunkSize: number;
	totalChunkCount: number;
	/** Init plus every PUT of every upload, as the node's own execution time covers both. */
	seconds: number;
	uploadSeconds: number;
	/** Date.now() when it started (before init): comparable with the emulator's chunk log. */
	startedAtMs: number;
	/** CPU (user + system) and minor page faults of this process during init and the PUTs. */
	cpuSeconds: number;
	minorFaults: number;
	/** The same CPU split by kind of thread (see readThreadCpu). */
	threads: ThreadCpu;
}

const PUT_TIMEOUT_MS = 10 * 60_000;
const connectionPerChunk = process.argv[6] === 'connection-per-chunk';
const agent = new Agent({ keepAlive: !connectionPerChunk, maxSockets: 1 });

async function postJson(url: string, body: unknown, token?: string): Promise<Record<string, unknown>> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
		body: JSON.stringify(body),
		signal: AbortSignal.timeout(30_000),
	});
	const json = (await response.json()) as Record<string, unknown>;
	if (response.status !== 200) throw new Error(`POST ${new URL(url).pathname}: ${response.status} ${JSON.stringify(json)}`);
	return json;
}

function put(url: URL, body: Buffer, range: string): Promise<number> {
	return new Promise((resolve, reject) => {
		const req = request(
			url,
			{
				method: 'PUT',
				agent,
				timeout: PUT_TIMEOUT_MS,
				headers: { 'Content-Type': 'video/mp4', 'Content-Length': String(body.length), 'Content-Range': range },
			},
			(res) => {
				res.resume();
				res.on('end', () => resolve(res.statusCode ?? 0));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error('PUT timed out')));
		req.on('error', reject);
		req.end(body);
	});
}

async function readFully(file: FileHandle, buffer: Buffer, length: number, position: number): Promise<Buffer> {
	let filled = 0;
	while (filled < length) {
		const { bytesRead } = await file.read(buffer, filled, length - filled, position + filled);
		if (bytesRead === 0) throw new Error(`file ended at ${position + filled}`);
		filled += bytesRead;
	}
	return buffer.subarray(0, length);
}

export async function baselineUpload(
	emulatorUrl: string,
	path: string,
	videoSize: number,
	chunkSize: number,
	uploads = 1,
): Promise<BaselineResult> {
	// TikTok's floor rule, as the node plans it: the last chunk absorbs the remainder.
	const count = Math.floor(videoSize / chunkSize);
	const chunkAt = (index: number) => {
		const start = index * chunkSize;
		const end = index === count - 1 ? videoSize - 1 : start + chunkSize - 1;
		return { start, end, length: end - start + 1 };
	};
	const { access_token: token } = (await postJson(`${emulatorUrl}/__emulator/tokens`, {})) as { access_token: string };
	const file = await open(path, 'r');
	const lastLength = chunkAt(count - 1).length;
	const buffers = [Buffer.allocUnsafe(lastLength), Buffer.allocUnsafe(lastLength)];
	try {
		const usageBefore = process.resourceUsage();
		const threadsBefore = readThreadCpu(process.pid);
		const started = performance.now();
		const startedAtMs = Date.now();
		const publishIds: string[] = [];
		let uploadSeconds = 0;
		for (let upload = 0; upload < Math.max(1, Math.min(100, uploads)); upload++) {
			const init = await postJson(
				`${emulatorUrl}/v2/post/publish/video/init/`,
				{
					post_info: { privacy_level: 'SELF_ONLY', brand_content_toggle: false, brand_organic_toggle: false },
					source_info: { source: 'FILE_UPLOAD', video_size: videoSize, chunk_size: chunkSize, total_chunk_count: count },
				},
				token,
			);
			const data = init.data as { publish_id: string; upload_url: string };
			const uploadUrl = new URL(data.upload_url);
			const uploadStarted = performance.now();
			let current = await readFully(file, buffers[0], chunkAt(0).length, 0);
			for (let index = 0; index < count; index++) {
				const { start, end } = chunkAt(index);
				const next = index + 1 < count ? chunkAt(index + 1) : undefined;
				const reading = next ? readFully(file, buffers[(index + 1) % 2], next.length, next.start) : undefined;
				const status = await put(uploadUrl, current, `bytes ${start}-${end}/${videoSize}`);
				const expected = index === count - 1 ? 201 : 206;
				if (status !== expected) throw new Error(`chunk ${index}: HTTP ${status}, expected ${expected}`);
				if (reading) current = await reading;
			}
			uploadSeconds += (performance.now() - uploadStarted) / 1000;
			publishIds.push(data.publish_id);
		}
		const finished = performance.now();
		const usage = process.resourceUsage();
		const threads = threadCpuBetween(threadsBefore, readThreadCpu(process.pid));
		return {
			startedAtMs,
			cpuSeconds: (usage.userCPUTime + usage.systemCPUTime - usageBefore.userCPUTime - usageBefore.systemCPUTime) / 1e6,
			minorFaults: usage.minorPageFault - usageBefore.minorPageFault,
			threads,
			publishId: publishIds[publishIds.length - 1],
			publishIds,
			videoSize,
			chunkSize,
			totalChunkCount: count,
			seconds: (finished - started) / 1000,
			uploadSeconds,
		};
	} finally {
		await file.close();
		agent.destroy();
	}
}

if (require.main === module) {
	const [emulatorUrl, path, videoSize, chunkSize, , uploads] = process.argv.slice(2);
	baselineUpload(emulatorUrl, path, Number(videoSize), Number(chunkSize), Number(uploads ?? 1) || 1)
		.then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
		.catch((error: Error) => {
			process.stderr.write(`baseline: ${error.message}\n`);
			process.exitCode = 1;
		});
}
