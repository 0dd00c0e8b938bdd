/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// PUT {upload_url} rules (reference §7.4, §7.5) and streaming of multi-chunk uploads.
import { createHash } from 'crypto';
import http from 'http';
import {
	advanceClock,
	api,
	control,
	directVideoBody,
	issueToken,
	MiB,
	putChunk,
	rawRequest,
	state,
	streamBytes,
	useEmulator,
	type Json,
} from './helpers';

const emulator = useEmulator();

async function initUpload(
	videoSize: number,
	chunkSize: number,
	count: number,
): Promise<{ publishId: string; uploadUrl: string }> {
	const token = await issueToken(emulator);
	const body = directVideoBody(
		{},
		{ video_size: videoSize, chunk_size: chunkSize, total_chunk_count: count },
	);
	const response = await api(emulator, '/v2/post/publish/video/init/', { token, body });
	expect(response.status).toBe(200);
	return { publishId: response.body.data.publish_id, uploadUrl: response.body.data.upload_url };
}

async function postState(publishId: string): Promise<Json> {
	return (await state(emulator)).posts.find((p: Json) => p.publish_id === publishId);
}

function bytes(length: number, seed: number): Buffer {
	const buffer = Buffer.alloc(length);
	for (let i = 0; i < length; i++) buffer[i] = (i * 31 + seed) & 0xff;
	return buffer;
}

describe('single-chunk upload', () => {
	it('answers 201 with Content-Range for the whole file and records bytes and sha256', async () => {
		const data = bytes(4096, 1);
		const { uploadUrl, publishId } = await initUpload(4096, 4096, 1);
		const response = await putChunk(uploadUrl, data, { first: 0, total: 4096 });
		expect(response.status).toBe(201);
		expect(response.headers['content-range']).toBe('bytes 0-4095/4096');
		const post = await postState(publishId);
		expect(post.bytes).toBe(4096);
		expect(post.sha256).toBe(createHash('sha256').update(data).digest('hex'));
		expect(post.upload.chunks).toEqual([
			expect.objectContaining({ index: 0, range: 'bytes 0-4095/4096', status: 201, bytes: 4096 }),
		]);
		const [{ startedAt, at }] = post.upload.chunks;
		expect(Date.parse(startedAt)).toBeLessThanOrEqual(Date.parse(at));
	});

	it('needs no Authorization header', async () => {
		const { uploadUrl } = await initUpload(10, 10, 1);
		expect((await putChunk(uploadUrl, bytes(10, 2), { first: 0, total: 10 })).status).toBe(201);
	});

	it.each(['video/mp4', 'video/quicktime', 'video/webm'])(
		'accepts Content-Type %s',
		async (type) => {
			const { uploadUrl } = await initUpload(10, 10, 1);
			expect(
				(await putChunk(uploadUrl, bytes(10, 2), { first: 0, total: 10 }, { 'content-type': type }))
					.status,
			).toBe(201);
		},
	);
});

describe('multi-chunk streaming upload', () => {
	it('streams 3 chunks of 5 MiB: 206, 206, 201 with progress headers; sha256 of all bytes in /state', async () => {
		const chunk = 5 * MiB;
		const total = 3 * chunk;
		const { uploadUrl, publishId } = await initUpload(total, chunk, 3);
		const expected = createHash('sha256');
		const fill = (block: Buffer, offset: number) => {
			for (let i = 0; i < block.length; i += 4) block.writeUInt32LE((offset + i) >>> 0, i);
		};
		const statuses: number[] = [];
		const ranges: Array<string | undefined> = [];
		for (let index = 0; index < 3; index++) {
			const first = index * chunk;
			// The expected hash is computed from the same generated blocks the request streams.
			const hashThenWrite = streamBytes(chunk, (block, offset) => {
				fill(block, first + offset);
				expected.update(block);
			});
			const response = await rawRequest(uploadUrl, {
				method: 'PUT',
				headers: {
					'content-type': 'video/mp4',
					'content-length': chunk,
					'content-range': `bytes ${first}-${first + chunk - 1}/${total}`,
				},
				body: hashThenWrite,
			});
			statuses.push(response.status);
			ranges.push(response.headers['content-range']);
		}
		expect(statuses).toEqual([206, 206, 201]);
		expect(ranges).toEqual([
			`bytes 0-${chunk - 1}/${total}`,
			`bytes 0-${2 * chunk - 1}/${total}`,
			`bytes 0-${total - 1}/${total}`,
		]);
		const post = await postState(publishId);
		expect(post.bytes).toBe(total);
		expect(post.sha256).toBe(expected.digest('hex'));
		expect(post.upload.chunks.map((c: Json) => c.status)).toEqual([206, 206, 201]);
	});

	it('takes the remainder in the final chunk (larger than chunk_size)', async () => {
		const chunk = 5 * MiB;
		const total = 2 * chunk + 123;
		const { uploadUrl } = await initUpload(total, chunk, 2);
		expect((await putChunk(uploadUrl, Buffer.alloc(chunk), { first: 0, total })).status).toBe(206);
		expect(
			(await putChunk(uploadUrl, Buffer.alloc(chunk + 123), { first: chunk, total })).status,
		).toBe(201);
	});
});

describe('PUT errors', () => {
	it('answers 416 with the progress header when the range does not match progress (out of order)', async () => {
		const chunk = 5 * MiB;
		const { uploadUrl } = await initUpload(2 * chunk, chunk, 2);
		const skipped = await putChunk(uploadUrl, Buffer.alloc(chunk), {
			first: chunk,
			total: 2 * chunk,
		});
		expect(skipped.status).toBe(416);
		expect(skipped.headers['content-range']).toBe(`bytes */${2 * chunk}`);
		expect(
			(await putChunk(uploadUrl, Buffer.alloc(chunk), { first: 0, total: 2 * chunk })).status,
		).toBe(206);
		const repeated = await putChunk(uploadUrl, Buffer.alloc(chunk), { first: 0, total: 2 * chunk });
		expect(repeated.status).toBe(416);
		expect(repeated.headers['content-range']).toBe(`bytes 0-${chunk - 1}/${2 * chunk}`);
	});

	it('answers 416 for a PUT after the upload completed', async () => {
		const { uploadUrl } = await initUpload(10, 10, 1);
		await putChunk(uploadUrl, bytes(10, 1), { first: 0, total: 10 });
		const again = await putChunk(uploadUrl, bytes(10, 1), { first: 0, total: 10 });
		expect(again.status).toBe(416);
		expect(again.headers['content-range']).toBe('bytes 0-9/10');
	});

	it('answers 400 when Content-Length does not match Content-Range', async () => {
		const { uploadUrl } = await initUpload(100, 100, 1);
		const response = await rawRequest(uploadUrl, {
			method: 'PUT',
			headers: {
				'content-type': 'video/mp4',
				'content-range': 'bytes 0-99/100',
				'content-length': 50,
			},
			body: Buffer.alloc(50),
		});
		expect(response.status).toBe(400);
	});

	it('answers 400 without Content-Length (chunked transfer)', async () => {
		const { uploadUrl } = await initUpload(100, 100, 1);
		const response = await rawRequest(uploadUrl, {
			method: 'PUT',
			headers: {
				'content-type': 'video/mp4',
				'content-range': 'bytes 0-99/100',
				'transfer-encoding': 'chunked',
			},
			body: Buffer.alloc(100),
		});
		expect(response.status).toBe(400);
	});

	it('answers 400 for a chunk that does not follow the declared chunk_size', async () => {
		const chunk = 5 * MiB;
		const { uploadUrl } = await initUpload(2 * chunk, chunk, 2);
		expect(
			(await putChunk(uploadUrl, Buffer.alloc(chunk - 1), { first: 0, total: 2 * chunk })).status,
		).toBe(400);
	});

	it.each([
		['a missing Content-Type', { 'content-type': '' }],
		['an image Content-Type', { 'content-type': 'image/jpeg' }],
		['a missing Content-Range', { 'content-range': '' }],
		['a malformed Content-Range', { 'content-range': 'bytes=0-9' }],
		['a Content-Range with the wrong total', { 'content-range': 'bytes 0-9/11' }],
	])('answers 400 for %s', async (_name, headers) => {
		const { uploadUrl } = await initUpload(10, 10, 1);
		const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v !== ''));
		const base: Record<string, string | number> = {
			'content-type': 'video/mp4',
			'content-length': 10,
			'content-range': 'bytes 0-9/10',
		};
		for (const name of Object.keys(headers)) delete base[name];
		const response = await rawRequest(uploadUrl, {
			method: 'PUT',
			headers: { ...base, ...clean },
			body: Buffer.alloc(10),
		});
		expect(response.status).toBe(400);
	});

	it('answers 403 once the upload URL is older than one hour', async () => {
		const { uploadUrl } = await initUpload(10, 10, 1);
		await advanceClock(emulator, 3601);
		expect((await putChunk(uploadUrl, bytes(10, 1), { first: 0, total: 10 })).status).toBe(403);
	});

	it('answers 404 for an unknown upload or a wrong upload token', async () => {
		const { uploadUrl } = await initUpload(10, 10, 1);
		const wrongToken = uploadUrl.replace(/upload_token=\w+/, 'upload_token=nope');
		const unknown = `${emulator.url}/video/?upload_id=1&upload_token=x`;
		for (const url of [wrongToken, unknown, uploadUrl.split('?')[0]]) {
			expect((await putChunk(url, bytes(10, 1), { first: 0, total: 10 })).status).toBe(404);
		}
	});
});

describe('upload faults', () => {
	it('chunkIndex faults hit the PUT carrying that chunk; the retry then succeeds', async () => {
		const chunk = 5 * MiB;
		const total = 2 * chunk;
		const { uploadUrl, publishId } = await initUpload(total, chunk, 2);
		await control(emulator, 'faults', {
			faults: [{ method: 'PUT', path: '/video/', chunkIndex: 1, status: 503 }],
		});
		expect((await putChunk(uploadUrl, Buffer.alloc(chunk), { first: 0, total })).status).toBe(206);
		expect((await putChunk(uploadUrl, Buffer.alloc(chunk), { first: chunk, total })).status).toBe(
			503,
		);
		expect((await putChunk(uploadUrl, Buffer.alloc(chunk), { first: chunk, total })).status).toBe(
			201,
		);
		expect((await postState(publishId)).bytes).toBe(total);
	});

	it('throttleBytesPerSecond reads a chunk slowly; a client that gives up leaves it uncommitted and aborted', async () => {
		// Larger than what the sockets can hold, so the client's giving up cannot complete it.
		const chunk = 24 * MiB;
		const { uploadUrl, publishId } = await initUpload(chunk, chunk, 1);
		await control(emulator, 'faults', {
			faults: [{ method: 'PUT', path: '/video/', chunkIndex: 0, throttleBytesPerSecond: 8 * 1024 * 1024 }],
		});
		const request = http.request(uploadUrl, {
			method: 'PUT',
			headers: { 'content-type': 'video/mp4', 'content-length': chunk, 'content-range': `bytes 0-${chunk - 1}/${chunk}` },
		});
		request.on('error', () => undefined);
		request.write(Buffer.alloc(chunk));
		await new Promise((resolve) => setTimeout(resolve, 500));
		const midway = (await postState(publishId)).upload.chunks;
		expect(midway).toEqual([]); // still reading after 0.5 s: about 3 s at 8 MiB/s
		const gaveUpAt = Date.now();
		request.destroy();
		// What the sockets already held still arrives (slowly) before the close is seen.
		let put: Json;
		for (let i = 0; i < 500 && put?.status !== 'aborted'; i++) {
			await new Promise((resolve) => setTimeout(resolve, 20));
			put = (await state(emulator)).requests.filter((entry: Json) => entry.method === 'PUT').pop();
		}
		expect(put.status).toBe('aborted');
		expect(put.abortedAtMs).toBeGreaterThanOrEqual(gaveUpAt);
		expect((await postState(publishId)).bytes).toBe(0);
	}, 20_000);

	it('drop mid-request loses the chunk: nothing is counted and the chunk can be sent again', async () => {
		const chunk = 5 * MiB;
		const total = 2 * chunk;
		const { uploadUrl, publishId } = await initUpload(total, chunk, 2);
		await control(emulator, 'faults', {
			faults: [{ path: '/video/', chunkIndex: 0, drop: 'mid-request' }],
		});
		await expect(putChunk(uploadUrl, Buffer.alloc(chunk), { first: 0, total })).rejects.toThrow();
		expect((await postState(publishId)).bytes).toBe(0);
		expect((await putChunk(uploadUrl, Buffer.alloc(chunk), { first: 0, total })).status).toBe(206);
	});

	it('drop before-response keeps the chunk: the retry gets 416 showing the progress', async () => {
		const chunk = 5 * MiB;
		const total = 2 * chunk;
		const { uploadUrl, publishId } = await initUpload(total, chunk, 2);
		await control(emulator, 'faults', {
			faults: [{ path: '/video/', chunkIndex: 0, drop: 'before-response' }],
		});
		await expect(putChunk(uploadUrl, Buffer.alloc(chunk), { first: 0, total })).rejects.toThrow();
		expect((await postState(publishId)).bytes).toBe(chunk);
		const retry = await putChunk(uploadUrl, Buffer.alloc(chunk), { first: 0, total });
		expect(retry.status).toBe(416);
		expect(retry.headers['content-range']).toBe(`bytes 0-${chunk - 1}/${total}`);
	});
});
