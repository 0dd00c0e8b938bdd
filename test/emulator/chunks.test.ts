// FILE_UPLOAD chunk plan rules at init (reference §7.1, §7.2, §7.3), under both MB definitions.
import { api, configure, directVideoBody, issueToken, useEmulator } from './helpers';

const emulator = useEmulator();

async function init(videoSize: number, chunkSize: number, totalChunkCount: number) {
	const token = await issueToken(emulator);
	const body = directVideoBody(
		{},
		{ video_size: videoSize, chunk_size: chunkSize, total_chunk_count: totalChunkCount },
	);
	return api(emulator, '/v2/post/publish/video/init/', { token, body });
}

const CHUNK = 'The chunk size is invalid';
const COUNT = 'The total chunk count is invalid';

const MEGABYTES: Array<[1000000 | 1048576, string]> = [
	[1048576, 'binary MB (default)'],
	[1000000, 'decimal MB'],
];

describe.each(MEGABYTES)('megabyte = %d (%s)', (megabyte) => {
	const MB = megabyte;
	beforeEach(async () => {
		await configure(emulator, { megabyte });
	});

	it.each([
		[
			'the docs example: 50,000,123 bytes in 10,000,000-byte chunks, 5 chunks',
			50000123,
			10000000,
			5,
		],
		['a small file whole', 4194304, 4194304, 1],
		['a one-byte file', 1, 1, 1],
		['exactly 64 MB whole', 64 * MB, 64 * MB, 1],
		['5 MB chunks', 15 * MB + 7, 5 * MB, 3],
		['64 MB chunks with a large remainder in the last chunk', 64 * MB * 2 + 63 * MB, 64 * MB, 2],
	])('accepts %s', async (_name, size, chunk, count) => {
		const response = await init(size, chunk, count);
		expect(response.body.error).toMatchObject({ code: 'ok' });
		expect(response.status).toBe(200);
	});

	it.each([
		['ceil() instead of floor() for the count', 25 * MB, 10 * MB, 3, COUNT],
		['a count of 0', 25 * MB, 10 * MB, 0, COUNT],
		['more than 1000 chunks', 1001 * 5 * MB, 5 * MB, 1001, COUNT],
		[
			'one chunk whose chunk_size differs from video_size (121 MB as 64 MB × 1)',
			121 * MB,
			64 * MB,
			1,
			CHUNK,
		],
		['one 10 MB chunk for a 15 MB file', 15 * MB, 10 * MB, 1, CHUNK],
		['a file over 64 MB sent whole', 64 * MB + 1, 64 * MB + 1, 1, CHUNK],
		['chunks under 5 MB', 20 * MB, 5 * MB - 1, 4, CHUNK],
		['a small file split into chunks', 4 * MB, 2 * MB, 2, CHUNK],
		['chunks over 64 MB', 200 * MB, 64 * MB + 1, 3, CHUNK],
	])('rejects %s with invalid_params', async (_name, size, chunk, count, message) => {
		const response = await init(size, chunk, count);
		expect(response.status).toBe(400);
		expect(response.body.error.code).toBe('invalid_params');
		expect(response.body.error.message).toBe(message);
	});
});

it('the MB definition decides the borderline: 64,000,001..67,108,864 bytes whole', async () => {
	const size = 65_000_000;
	await configure(emulator, { megabyte: 1000000 });
	expect((await init(size, size, 1)).body.error.message).toBe(CHUNK);
	await configure(emulator, { megabyte: 1048576 });
	expect((await init(size, size, 1)).status).toBe(200);
});

it('rejects a video over 4 GB', async () => {
	const size = 4 * 1024 ** 3 + 1;
	const chunk = 64 * 1048576;
	const response = await init(size, chunk, Math.floor(size / chunk));
	expect(response.status).toBe(400);
	expect(response.body.error.code).toBe('invalid_params');
});
