/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Uploads are hashed and counted as they stream, never kept: after a 200 MiB upload the
// process retains far less than 200 MiB (reference §7; issue 3 "multi-GB uploads cost no memory").
import v8 from 'v8';
import vm from 'vm';
import {
	api,
	directVideoBody,
	issueToken,
	MiB,
	rawRequest,
	state,
	streamBytes,
	useEmulator,
} from './helpers';

const emulator = useEmulator();

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

function retainedBytes(): number {
	collectGarbage();
	collectGarbage();
	const usage = process.memoryUsage();
	return usage.arrayBuffers + usage.heapUsed;
}

it('keeps no upload bytes in memory (200 MiB in 10 chunks of 20 MiB)', async () => {
	const chunk = 20 * MiB;
	const total = 10 * chunk;
	const token = await issueToken(emulator);
	const body = directVideoBody({}, { video_size: total, chunk_size: chunk, total_chunk_count: 10 });
	const init = await api(emulator, '/v2/post/publish/video/init/', { token, body });
	const uploadUrl: string = init.body.data.upload_url;
	const before = retainedBytes();
	for (let index = 0; index < 10; index++) {
		const first = index * chunk;
		const response = await rawRequest(uploadUrl, {
			method: 'PUT',
			headers: {
				'content-type': 'video/mp4',
				'content-length': chunk,
				'content-range': `bytes ${first}-${first + chunk - 1}/${total}`,
			},
			body: streamBytes(chunk, (block) => block.fill(index)),
		});
		expect(response.status).toBe(index === 9 ? 201 : 206);
	}
	const growth = retainedBytes() - before;
	const post = (await state(emulator)).posts[0];
	expect(post.bytes).toBe(total);
	expect(post.sha256).toMatch(/^[0-9a-f]{64}$/);
	expect(growth).toBeLessThan(total / 4);
}, 60_000);
