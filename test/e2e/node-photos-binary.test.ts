/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Photo posts from n8n binary data: n8n serves the images at signed URLs under its own public
// address and the emulator (TikTok) really downloads them from n8n. n8n runs with WEBHOOK_URL
// https://n8n.emulator.test/, which the emulator's pull-host map resolves to this n8n, as public
// DNS and TLS would; the URL prefix n8n.emulator.test/rest/binary-data/ is "verified". Run in
// n8n's filesystem and database binary modes, and refused in its in-memory mode.
import { createHash } from 'crypto';
import { writeFileSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import { join } from 'path';

import { N8N_START_TIMEOUT_MS } from './harness';
import { startNodeStack, type Json, type NodeStack } from './node-stack';

const N8N_HOST = 'n8n.emulator.test';
const CONTENT_INIT = '/v2/post/publish/content/init/';

/** A JPEG whose start-of-frame says width × height, padded to `bytes`. */
function jpeg(width: number, height: number, bytes = 4096, seed = 1): Buffer {
	const sof = Buffer.from([0xff, 0xc0, 0x00, 0x11, 0x08, height >> 8, height & 0xff, width >> 8, width & 0xff, 0x03, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1]);
	const head = Buffer.concat([Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'), sof]);
	const body = Buffer.alloc(Math.max(bytes, head.length + 2), seed);
	head.copy(body, 0);
	body.writeUInt16BE(0xffd9, body.length - 2);
	return body;
}

/** A WebP (VP8X header) of width × height. */
function webp(width: number, height: number): Buffer {
	const body = Buffer.alloc(2048, 9);
	body.write('RIFF', 0, 'latin1');
	body.writeUInt32LE(body.length - 8, 4);
	body.write('WEBPVP8X', 8, 'latin1');
	body.writeUInt32LE(10, 16);
	body.writeUIntLE(width - 1, 24, 3);
	body.writeUIntLE(height - 1, 27, 3);
	return body;
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each([
	{ mode: 'filesystem', binaryDataMode: undefined },
	{ mode: 'database', binaryDataMode: 'database' },
])('Photo posts from binary files, n8n serving them to TikTok ($mode binary data)', ({ mode, binaryDataMode }) => {
	let stack: NodeStack;
	const files: Record<string, Buffer> = {};
	const path = (name: string) => join(stack.n8n.filesDir, name);

	beforeAll(async () => {
		stack = await startNodeStack({ name: `node-photos-binary-${mode}`, binaryDataMode, env: { WEBHOOK_URL: `https://${N8N_HOST}/` } });
		Object.assign(files, {
			'cover.jpg': jpeg(1080, 1350, 6000, 1),
			'second.webp': webp(1080, 1920),
			'third.jpg': jpeg(720, 1280, 9000, 3),
			'logo.png': Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]),
			'huge.jpg': jpeg(2400, 3200),
			'heavy.jpg': jpeg(1080, 1080, 20_000_001, 4),
			'notes.jpg': Buffer.from('not an image at all'),
		});
		for (const [name, data] of Object.entries(files)) writeFileSync(path(name), data);
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
	});

	/** TikTok's view of the world: this n8n is public at https://n8n.emulator.test/, its binary prefix verified. */
	const world = (extra: Record<string, unknown> = {}) => ({
		pullHosts: { 'media.emulator.test': stack.emulator.url, [N8N_HOST]: stack.n8n.baseUrl },
		verifiedUrlPrefixes: [`https://${N8N_HOST}/rest/binary-data/`],
		...extra,
	});

	const post = async (names: string[], extra: Record<string, unknown> = {}) =>
		(await stack.run('node-photo-binary', { files: names.map((name) => ({ file: path(name) })), ...extra })).items[0];

	it('TikTok downloads each image from n8n, in order, byte for byte', async () => {
		await stack.reset(world());
		const mark = await stack.mark();
		const item = await post(['cover.jpg', 'second.webp', 'third.jpg'], { cover: 1, title: 'Three' });
		expect(item.error).toBeUndefined();
		expect(item).toMatchObject({ status: 'PUBLISH_COMPLETE', source: 'PULL_FROM_URL' });
		const { posts, requests } = await stack.since(mark);
		expect(posts).toHaveLength(1);
		expect(posts[0].sha256).toEqual([sha256(files['cover.jpg']), sha256(files['second.webp']), sha256(files['third.jpg'])]);
		expect(posts[0].source_info.photo_cover_index).toBe(1);
		const init = requests.find((request: Json) => request.path === CONTENT_INIT);
		expect(init.status).toBe(200);
		// The signed URLs' tokens give access to the files: never in the output or n8n's log.
		expect(JSON.stringify(item) + stack.n8n.readLog()).not.toMatch(/binary-data\/signed\?token=/);
	}, 120_000);

	it('posts the binary fields named, in the order named', async () => {
		await stack.reset(world());
		const mark = await stack.mark();
		const item = await post(['cover.jpg', 'third.jpg'], { fields: 'data_1, data' });
		expect(item.status).toBe('PUBLISH_COMPLETE');
		expect((await stack.since(mark)).posts[0].sha256).toEqual([sha256(files['third.jpg']), sha256(files['cover.jpg'])]);
	}, 120_000);

	it.each([
		{ names: ['cover.jpg', 'logo.png'], message: /image 2 \(logo\.png, binary field "data_1"\) is a PNG/, hint: /JPEG or WebP/ },
		{ names: ['huge.jpg'], message: /image 1 \(huge\.jpg.*\) is 2400×3200 px, larger than TikTok's 1080p/, hint: /shorter side is at most 1080 px/ },
		{ names: ['heavy.jpg'], message: /image 1 \(heavy\.jpg.*\) is 20,000,001 bytes .* more than TikTok's 20 MB/, hint: /below 20 MB/ },
		{ names: ['notes.jpg'], message: /image 1 \(notes\.jpg.*\) is not a JPEG or WebP image/, hint: /JPEG or WebP/ },
		{ names: ['cover.jpg'], fields: 'data, photo', message: /no binary field "photo"/, hint: /Binary fields of this item: data/ },
	])('refuses $names before any TikTok call', async ({ names, fields, message, hint }) => {
		await stack.reset(world());
		const mark = await stack.mark();
		const item = await post(names, fields ? { fields } : {});
		expect(item.error).toMatch(message);
		expect(item.hint).toMatch(hint);
		expect(item.code).toBe('invalid_input');
		expect((await stack.since(mark)).requests.filter((request: Json) => request.path.startsWith('/v2/post/publish/'))).toEqual([]);
	}, 120_000);

	it('the prefix not verified in the TikTok app: TikTok refuses the post request, nothing is created', async () => {
		await stack.reset(world({ verifiedUrlPrefixes: ['https://media.example.com/'] }));
		const mark = await stack.mark();
		const item = await post(['cover.jpg']);
		expect(item.code).toBe('url_ownership_unverified');
		expect(item.hint).toMatch(/verify the domain .* or URL prefix/);
		expect((await stack.since(mark)).posts).toEqual([]);
	}, 120_000);

	it('n8n not reachable by TikTok: the post fails with photo_pull_failed and says n8n must be public https', async () => {
		await stack.reset(world({ pullHosts: { 'media.emulator.test': stack.emulator.url } }));
		const mark = await stack.mark();
		const item = await post(['cover.jpg', 'third.jpg']);
		expect(item.code).toBe('photo_pull_failed');
		expect(item.error).toMatch(/The download stopped at image 1 \(cover\.jpg/);
		expect(item.hint).toMatch(/reachable from the internet over https at its webhook URL/);
		const { posts } = await stack.since(mark);
		expect(posts).toHaveLength(1);
		expect(posts[0].status).toBe('FAILED');
	}, 120_000);

	it('one image TikTok cannot fetch (an expired or refused link) is named by its place in the post', async () => {
		// A gateway in front of n8n that refuses the second image, as an expired token would be.
		let served = 0;
		const gateway = http.createServer((req, res) => {
			served++;
			if (served === 2) {
				res.writeHead(400, { 'content-type': 'text/plain' });
				return void res.end('jwt expired');
			}
			const upstream = http.request(`${stack.n8n.baseUrl}${req.url}`, { method: req.method, headers: req.headers }, (answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			});
			req.pipe(upstream);
		});
		await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve));
		try {
			const gatewayUrl = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}`;
			await stack.reset(world({ pullHosts: { [N8N_HOST]: gatewayUrl } }));
			const item = await post(['cover.jpg', 'second.webp', 'third.jpg']);
			expect(item.code).toBe('photo_pull_failed');
			expect(item.error).toMatch(/The download stopped at image 2 \(second\.webp, binary field "data_1"\)/);
		} finally {
			await new Promise<void>((resolve) => gateway.close(() => resolve()));
		}
	}, 120_000);
});

describe('Photo posts from binary files in n8n\'s in-memory binary mode', () => {
	let stack: NodeStack;

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-photos-binary-memory', binaryDataMode: 'default', env: { WEBHOOK_URL: `https://${N8N_HOST}/` } });
		writeFileSync(join(stack.n8n.filesDir, 'cover.jpg'), jpeg(1080, 1350));
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
	});

	it('is refused before any TikTok call: n8n cannot serve what it keeps in memory', async () => {
		await stack.reset();
		const mark = await stack.mark();
		const { items } = await stack.run('node-photo-binary', { files: [{ file: join(stack.n8n.filesDir, 'cover.jpg') }] });
		expect(items[0].error).toMatch(/kept in n8n's memory, where n8n cannot serve it to TikTok/);
		expect(items[0].hint).toMatch(/filesystem, database or S3/);
		expect((await stack.since(mark)).requests.filter((request: Json) => request.path.startsWith('/v2/post/publish/'))).toEqual([]);
	}, 120_000);
});
