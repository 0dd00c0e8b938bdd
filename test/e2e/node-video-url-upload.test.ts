/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Video Source "URL, Uploaded in Chunks": n8n reads the video from a media server and streams it to
// TikTok's FILE_UPLOAD in the planned chunks, storing nothing in n8n. A local media server (real
// http on 127.0.0.1) plays the storage's part: sizes from HEAD or a ranged GET, redirects, reads
// that break off (resumed with Range where possible), servers that say nothing about the size.
import { existsSync, readdirSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';

import { N8N_START_TIMEOUT_MS } from './harness';
import { writeFileOfSize, type GeneratedFile } from './files';
import { startMediaServer, type MediaServer } from './media-server';
import { startNodeStack, type Json, type NodeStack } from './node-stack';

const MiB = 1024 * 1024;
const DIRECT_INIT = '/v2/post/publish/video/init/';

/** n8n's filesystem binary storage: `storage` in n8n 2.x, `binaryData` in 1.x. */
const BINARY_STORAGE_FOLDERS = ['storage', 'binaryData'];

/** Bytes under n8n's binary storage folders, to prove the video never lands there. */
function storedBytes(n8nFolder: string): number {
	return BINARY_STORAGE_FOLDERS.map((name) => join(n8nFolder, name))
		.filter((folder) => existsSync(folder))
		.reduce((sum, folder) => sum + folderBytes(folder), 0);
}

function folderBytes(folder: string): number {
	let total = 0;
	for (const entry of readdirSync(folder, { withFileTypes: true, recursive: true })) {
		if (entry.isFile()) total += statSync(join(entry.parentPath, entry.name)).size;
	}
	return total;
}

describe('Video from a URL, uploaded in chunks by n8n (real n8n, emulator, local media server)', () => {
	let stack: NodeStack;
	let media: MediaServer;
	let video: GeneratedFile;

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-video-url-upload' });
		video = await writeFileOfSize(join(stack.n8n.filesDir, 'remote.mp4'), 70 * MiB, 21);
		media = await startMediaServer({ 'remote.mp4': video.path });
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await media?.close();
		await stack?.stop();
	});

	beforeEach(async () => {
		await stack.reset();
		media.requests.length = 0;
	});

	const post = async (url: string, extra: Record<string, unknown> = {}) =>
		(await stack.run('node-sheet-video-url-upload', { rows: [{ url, privacy: 'SELF_ONLY', wait: true, pollSeconds: 2, ...extra }] })).items[0];

	it('streams the file to TikTok in the planned chunks: exact bytes, no credential sent, nothing stored in n8n', async () => {
		const storedBefore = storedBytes(stack.n8n.n8nFolder);
		const mark = await stack.mark();
		const item = await post(media.url('remote.mp4'));
		expect(item.error).toBeUndefined();
		expect(item).toMatchObject({ status: 'PUBLISH_COMPLETE', source: 'FILE_UPLOAD', video_size: video.bytes, total_chunk_count: 7 });
		const after = await stack.since(mark);
		expect(after.posts).toHaveLength(1);
		expect(after.posts[0].sha256).toBe(video.sha256);
		expect(media.requests.flatMap((request) => request.credentialHeaders)).toEqual([]);
		expect(media.requests.filter((request) => request.method === 'GET' && !request.range)).toHaveLength(1);
		expect(storedBytes(stack.n8n.n8nFolder) - storedBefore).toBeLessThan(MiB);
	}, 120_000);

	it('follows a redirect and takes the size from a ranged GET when HEAD gives none', async () => {
		const mark = await stack.mark();
		const item = await post(media.url('remote.mp4', 'redirect=1&noHead=1'), { chunkSizeMb: 32 });
		expect(item.status).toBe('PUBLISH_COMPLETE');
		expect((await stack.since(mark)).posts[0].sha256).toBe(video.sha256);
		expect(media.requests.some((request) => request.status === 302)).toBe(true);
		expect(media.requests.some((request) => request.method === 'GET' && request.range === 'bytes=0-0' && request.status === 206)).toBe(true);
	}, 120_000);

	it('resumes a read that broke off with a Range request, and the post is exact', async () => {
		const mark = await stack.mark();
		const item = await post(media.url('remote.mp4', `dropAfter=${25 * MiB + 12345}`));
		expect(item.error).toBeUndefined();
		expect(item.status).toBe('PUBLISH_COMPLETE');
		expect((await stack.since(mark)).posts[0].sha256).toBe(video.sha256);
		expect(media.requests.some((request) => request.range === `bytes=${25 * MiB + 12345}-`)).toBe(true);
	}, 120_000);

	it('a read that breaks off where the server cannot resume: reported with the publish_id, TikTok never gets the rest', async () => {
		const mark = await stack.mark();
		const item = await post(media.url('remote.mp4', `noRange=1&dropAfter=${25 * MiB}`));
		const after = await stack.since(mark);
		expect(item).toMatchObject({ code: 'video_read_failed', publish_id: after.posts[0].publish_id });
		expect(item.error).toMatch(/reading stopped after 26214400 of 73400320 bytes/);
		expect(item.hint).toMatch(/will not publish this post; running the item again posts it once/);
		expect(after.posts[0].status).toBe('PROCESSING_UPLOAD');
		expect(after.requests.filter((request: Json) => request.method === 'PUT').length).toBeLessThan(7);
	}, 120_000);

	it('a server that gives no size, or no file, is refused before TikTok is asked for anything', async () => {
		for (const [url, message] of [
			[media.url('remote.mp4', 'noLength=1'), /does not say how large the file is/],
			[media.url('missing.mp4'), /could not be read: the server answered HTTP 404/],
		] as const) {
			const mark = await stack.mark();
			const item = await post(url);
			expect(item.error).toMatch(message);
			expect(item.code).toBe('invalid_input');
			expect((await stack.since(mark)).requests.filter((request: Json) => request.path.startsWith('/v2/'))).toEqual([]);
		}
	}, 120_000);

	it('checks the content like a binary file: a page saved as .mp4 is refused before the post request', async () => {
		const page = join(stack.n8n.filesDir, 'page.mp4');
		writeFileSync(page, '<!DOCTYPE html><html><body>Sign in</body></html>');
		const server = await startMediaServer({ 'page.mp4': page });
		try {
			const mark = await stack.mark();
			const item = await post(server.url('page.mp4'));
			expect(item.error).toMatch(/HTML or XML page/);
			expect((await stack.since(mark)).requests.filter((request: Json) => request.path === DIRECT_INIT)).toEqual([]);
		} finally {
			await server.close();
		}
	}, 120_000);
});
