/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Bad input gets a clear error before TikTok is asked to post anything: each case runs the real
// workflow in n8n and checks both the error item and that the emulator saw no init request.
import { writeFileSync } from 'fs';
import { join } from 'path';
import { N8N_START_TIMEOUT_MS } from './harness';
import { writeFileOfSize } from './files';
import { startNodeStack, type Json, type NodeStack } from './node-stack';

const INIT = '/v2/post/publish/';

/** A tiny MP4 whose moov/mvhd says `seconds` long, followed by filler media data. */
function mp4WithDuration(seconds: number, fillerBytes = 4096): Buffer {
	const box = (type: string, payload: Buffer) => {
		const header = Buffer.alloc(8);
		header.writeUInt32BE(8 + payload.length, 0);
		header.write(type, 4, 'latin1');
		return Buffer.concat([header, payload]);
	};
	const ftyp = box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1'));
	const mvhd = Buffer.alloc(100);
	mvhd.writeUInt32BE(0, 0); // version 0, flags
	mvhd.writeUInt32BE(1000, 12); // timescale
	mvhd.writeUInt32BE(seconds * 1000, 16); // duration
	const moov = box('moov', box('mvhd', mvhd));
	return Buffer.concat([ftyp, moov, box('mdat', Buffer.alloc(fillerBytes, 7))]);
}

describe('Validation before any TikTok call (real n8n, emulator)', () => {
	let stack: NodeStack;
	let okVideo: string;

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-validation' });
		okVideo = (await writeFileOfSize(join(stack.n8n.filesDir, 'ok.mp4'), 2 * 1024 * 1024)).path;
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
	});

	beforeEach(async () => {
		await stack.reset();
	});

	/** Runs the workflow, expects one error item, and that no post was initialised. */
	async function expectRejected(workflow: string, body: Record<string, unknown>): Promise<Json> {
		const mark = await stack.mark();
		const { status, items } = await stack.run(workflow, body);
		expect(status).toBe(200);
		expect(items).toHaveLength(1);
		const after = await stack.since(mark, INIT);
		expect(after.posts).toEqual([]);
		expect(after.requests.filter((r: Json) => String(r.path).endsWith('/init/'))).toEqual([]);
		expect(typeof items[0].error).toBe('string');
		expect(typeof items[0].hint).toBe('string');
		return items[0];
	}

	const videoBody = (extra: Record<string, unknown> = {}) => ({
		files: [{ file: okVideo }],
		privacy: 'SELF_ONLY',
		...extra,
	});

	it('refuses a direct post without a privacy level', async () => {
		const item = await expectRejected('node-video-file-directPost', videoBody({ privacy: '' }));
		expect(item.error).toMatch(/privacy level/i);
	}, 60_000);

	it('refuses a privacy level the creator does not offer, listing the ones it does', async () => {
		const item = await expectRejected('node-video-file-directPost', videoBody({ privacy: 'FOLLOWER_OF_CREATOR' }));
		expect(item.error).toMatch(/FOLLOWER_OF_CREATOR/);
		expect(item.hint).toMatch(/PUBLIC_TO_EVERYONE/);
	}, 60_000);

	it('refuses branded content that is private', async () => {
		const item = await expectRejected('node-video-file-directPost', videoBody({ commercial: true, branded: true }));
		expect(item.error).toMatch(/branded content/i);
	}, 60_000);

	it('refuses commercial disclosure with neither brand option chosen', async () => {
		const item = await expectRejected('node-video-file-directPost', videoBody({ commercial: true }));
		expect(item.hint).toMatch(/yourself|third party/i);
	}, 60_000);

	it('refuses a caption over 2,200 UTF-16 units (emoji count twice)', async () => {
		const item = await expectRejected('node-video-file-directPost', videoBody({ title: '😀'.repeat(1101) }));
		expect(item.error).toMatch(/2[,.]?200/);
	}, 60_000);

	it('refuses comments when the creator turned them off', async () => {
		await stack.reset({ creator: { commentDisabled: true } });
		const item = await expectRejected('node-video-file-directPost', videoBody({ allowComments: true }));
		expect(item.error).toMatch(/comment/i);
	}, 60_000);

	it('refuses a file that is not MP4, MOV or WebM', async () => {
		const text = join(stack.n8n.filesDir, 'notes.txt');
		writeFileSync(text, 'not a video');
		const item = await expectRejected('node-video-file-directPost', videoBody({ files: [{ file: text }] }));
		expect(item.error).toMatch(/does not accept this file/i);
	}, 60_000);

	it('refuses an empty file', async () => {
		const empty = join(stack.n8n.filesDir, 'empty.mp4');
		writeFileSync(empty, '');
		const item = await expectRejected('node-video-file-draft', { files: [{ file: empty }] });
		expect(item.error).toMatch(/empty/i);
	}, 60_000);

	it('names the missing binary property and the ones present', async () => {
		const item = await expectRejected('node-video-file-draft', { files: [{ file: okVideo }], binaryProperty: 'video' });
		expect(item.error).toMatch(/"video"/);
		expect(item.hint).toMatch(/data/);
	}, 60_000);

	it('refuses a video longer than the creator may post (read from the MP4 header)', async () => {
		const long = join(stack.n8n.filesDir, 'long.mp4');
		writeFileSync(long, mp4WithDuration(600));
		const item = await expectRejected('node-video-file-directPost', videoBody({ files: [{ file: long }] }));
		expect(item.error).toMatch(/600|10 min/);
		expect(item.error + item.hint).toMatch(/300|5 min/);
	}, 60_000);

	it('accepts a video within the creator\'s maximum duration', async () => {
		const short = join(stack.n8n.filesDir, 'short.mp4');
		writeFileSync(short, mp4WithDuration(30));
		const { items } = await stack.run('node-video-file-directPost', videoBody({ files: [{ file: short }] }));
		expect(items[0].error).toBeUndefined();
		expect(items[0].publish_id).toMatch(/^v_pub_file/);
	}, 60_000);

	it('refuses a video URL that is not http(s)', async () => {
		const item = await expectRejected('node-video-url-draft', { url: 'ftp://media.example.com/a.mp4' });
		expect(item.error).toMatch(/Video URL/);
	}, 60_000);

	it('refuses a photo post without photos, with 36 photos, or with the cover out of range', async () => {
		const photo = (n: number) => stack.emulator.mediaUrl(`photo-${n}.jpg`);
		const none = await expectRejected('node-photo-media-upload', { photos: [] });
		expect(none.error).toMatch(/photo/i);
		const many = await expectRejected('node-photo-media-upload', {
			photos: Array.from({ length: 36 }, (_, i) => photo(i)),
		});
		expect(many.error).toMatch(/35/);
		const cover = await expectRejected('node-photo-media-upload', { photos: [photo(1), photo(2)], cover: 2 });
		expect(cover.error).toMatch(/cover/i);
	}, 90_000);

	it('refuses a photo title over 90 UTF-16 units', async () => {
		const item = await expectRejected('node-photo-media-upload', {
			photos: [stack.emulator.mediaUrl(`photo-1.jpg`)],
			title: 'x'.repeat(91),
		});
		expect(item.error).toMatch(/90/);
	}, 60_000);

	it('refuses Get Status without a publish_id', async () => {
		const mark = await stack.mark();
		const { items } = await stack.run('node-get-status', { publishId: '  ' });
		expect(JSON.stringify(items[0])).toMatch(/Publish ID is empty/);
		expect((await stack.since(mark, INIT)).requests).toEqual([]);
	}, 60_000);
});
