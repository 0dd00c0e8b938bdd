/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Status progression on the emulator clock, post ids, PULL_FROM_URL downloads and cancel
// (reference §8, §9, §11, §17).
import { createHash } from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';
import {
	advanceClock,
	api,
	configure,
	control,
	directVideoBody,
	issueToken,
	mediaUrl,
	photoBody,
	putChunk,
	state,
	useEmulator,
	waitForPost,
	type Json,
} from './helpers';

const emulator = useEmulator();
const STATUS = '/v2/post/publish/status/fetch/';

let token: string;
beforeEach(async () => {
	token = await issueToken(emulator);
});

async function status(publishId: string) {
	return api(emulator, STATUS, { token, body: { publish_id: publishId } });
}

async function uploadedDirectPost(
	privacy = 'PUBLIC_TO_EVERYONE',
	path = '/v2/post/publish/video/init/',
): Promise<string> {
	const body = path.includes('inbox')
		? { source_info: directVideoBody().source_info }
		: directVideoBody({ privacy_level: privacy });
	const init = await api(emulator, path, { token, body });
	const publishId = init.body.data.publish_id as string;
	expect((await status(publishId)).body.data).toMatchObject({
		status: 'PROCESSING_UPLOAD',
		uploaded_bytes: 0,
	});
	expect(
		(await putChunk(init.body.data.upload_url, Buffer.alloc(1000, 7), { first: 0, total: 1000 }))
			.status,
	).toBe(201);
	return publishId;
}

async function pullVideo(videoUrl: string, privacy = 'SELF_ONLY'): Promise<string> {
	const body = directVideoBody(
		{ privacy_level: privacy },
		{ source: 'PULL_FROM_URL', video_url: videoUrl },
	);
	const response = await api(emulator, '/v2/post/publish/video/init/', { token, body });
	expect(response.status).toBe(200);
	expect(response.body.data.publish_id).toMatch(/^v_pub_url~v2\./);
	return response.body.data.publish_id;
}

describe('FILE_UPLOAD direct post', () => {
	it('goes PROCESSING_UPLOAD → PUBLISH_COMPLETE with the clock, then a public post id appears', async () => {
		// Long timings, moved by the clock: real time spent by the test cannot change the outcome.
		await configure(emulator, { timings: { processingMs: 60_000, moderationMs: 60_000 } });
		const publishId = await uploadedDirectPost();
		expect((await status(publishId)).body.data).toMatchObject({
			status: 'PROCESSING_UPLOAD',
			uploaded_bytes: 1000,
		});
		await advanceClock(emulator, 61);
		const complete = await status(publishId);
		expect(complete.body.data.status).toBe('PUBLISH_COMPLETE');
		expect(complete.body.data.publicaly_available_post_id).toEqual([]);
		await advanceClock(emulator, 60);
		const published = await status(publishId);
		expect(published.body.data.publicaly_available_post_id).toHaveLength(1);
	});

	it('writes the post id as a bare 19-digit JSON number beyond 2^53', async () => {
		const publishId = await uploadedDirectPost();
		await advanceClock(emulator, 10);
		const { text } = await status(publishId);
		const match = /"publicaly_available_post_id":\[(\d+)\]/.exec(text);
		expect(match).not.toBeNull();
		const raw = match![1];
		expect(raw).toHaveLength(19);
		expect(BigInt(raw) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
		// Plain JSON.parse loses digits: that is the trap clients must handle.
		expect(String(JSON.parse(text).data.publicaly_available_post_id[0])).not.toBe(raw);
		const stored = (await control(emulator, 'state', undefined, 'GET')).posts[0];
		expect(stored.publicaly_available_post_id).toEqual([raw]);
	});

	it.each(['SELF_ONLY', 'MUTUAL_FOLLOW_FRIENDS'])(
		'gives no post id to a %s post',
		async (privacy) => {
			const publishId = await uploadedDirectPost(privacy);
			await advanceClock(emulator, 3600);
			const { body } = await status(publishId);
			expect(body.data.status).toBe('PUBLISH_COMPLETE');
			expect(body.data.publicaly_available_post_id).toEqual([]);
		},
	);

	it('follows the configured timings', async () => {
		await configure(emulator, { timings: { processingMs: 30_000, moderationMs: 0 } });
		const publishId = await uploadedDirectPost();
		await advanceClock(emulator, 20);
		expect((await status(publishId)).body.data.status).toBe('PROCESSING_UPLOAD');
		await advanceClock(emulator, 11);
		expect((await status(publishId)).body.data.publicaly_available_post_id).toHaveLength(1);
	});

	it('stays PROCESSING_UPLOAD until every byte arrived, however long', async () => {
		const init = await api(emulator, '/v2/post/publish/video/init/', {
			token,
			body: directVideoBody(),
		});
		await advanceClock(emulator, 600);
		expect((await status(init.body.data.publish_id)).body.data.status).toBe('PROCESSING_UPLOAD');
	});
});

describe('failures', () => {
	it('nextFailReason makes the next post end FAILED with that reason, and only the next one', async () => {
		await configure(emulator, { nextFailReason: 'duration_check_failed' });
		const failing = await uploadedDirectPost();
		const fine = await uploadedDirectPost();
		await advanceClock(emulator, 5);
		expect((await status(failing)).body.data).toMatchObject({
			status: 'FAILED',
			fail_reason: 'duration_check_failed',
			publicaly_available_post_id: [],
		});
		expect((await status(fine)).body.data.status).toBe('PUBLISH_COMPLETE');
	});

	it('nextFailReasons queues several', async () => {
		await configure(emulator, { nextFailReasons: ['internal', 'spam_risk_text'] });
		const first = await uploadedDirectPost();
		const second = await uploadedDirectPost();
		await advanceClock(emulator, 5);
		expect((await status(first)).body.data.fail_reason).toBe('internal');
		expect((await status(second)).body.data.fail_reason).toBe('spam_risk_text');
	});
});

describe('drafts', () => {
	it('inbox video goes PROCESSING_UPLOAD → SEND_TO_USER_INBOX; the user may post it (control API)', async () => {
		const publishId = await uploadedDirectPost(undefined, '/v2/post/publish/inbox/video/init/');
		await advanceClock(emulator, 2);
		expect((await status(publishId)).body.data).toMatchObject({
			status: 'SEND_TO_USER_INBOX',
			publicaly_available_post_id: [],
		});
		await control(emulator, `drafts/${encodeURIComponent(publishId)}/publish`);
		const after = await status(publishId);
		expect(after.body.data.status).toBe('PUBLISH_COMPLETE');
		expect(after.body.data.publicaly_available_post_id).toHaveLength(1);
	});
});

describe('PULL_FROM_URL', () => {
	it('pulls https://media.emulator.test/… from the emulator, reports downloaded_bytes and its sha256, then completes', async () => {
		await configure(emulator, { timings: { processingMs: 60_000, moderationMs: 0 } });
		const publishId = await pullVideo(mediaUrl('video-300000.mp4'));
		const stored = await waitForPost(
			emulator,
			publishId,
			(p: Json) => p.bytes === 300000 && p.sha256,
		);
		const served = Buffer.from(
			await (await fetch(`${emulator.url}/__emulator/media/video-300000.mp4`)).arrayBuffer(),
		);
		expect(served.length).toBe(300000);
		expect(stored.sha256).toBe(createHash('sha256').update(served).digest('hex'));
		expect((await status(publishId)).body.data).toMatchObject({
			status: 'PROCESSING_DOWNLOAD',
			downloaded_bytes: 300000,
		});
		// The pull reached the emulator's http port, carrying the public host name.
		const pull = (await state(emulator)).requests.find(
			(r: Json) => r.method === 'GET' && r.path === '/__emulator/media/video-300000.mp4',
		);
		expect(pull).toMatchObject({ status: 200, headers: { host: 'media.emulator.test' } });
		await advanceClock(emulator, 61);
		expect((await status(publishId)).body.data.status).toBe('PUBLISH_COMPLETE');
	});

	it('fails with video_pull_failed when the URL answers 404', async () => {
		const publishId = await pullVideo(mediaUrl('missing.mp4'));
		await waitForPost(emulator, publishId, (p: Json) => p.status === 'FAILED');
		expect((await status(publishId)).body.data).toMatchObject({
			status: 'FAILED',
			fail_reason: 'video_pull_failed',
		});
	});

	it('fails with video_pull_failed when the mapped origin is unreachable', async () => {
		await configure(emulator, {
			pullHosts: { 'media.example.test': 'http://127.0.0.1:9' },
			verifiedUrlPrefixes: ['https://media.example.test/'],
		});
		const publishId = await pullVideo('https://media.example.test/video.mp4');
		await waitForPost(emulator, publishId, (p: Json) => p.status === 'FAILED');
		expect((await status(publishId)).body.data.fail_reason).toBe('video_pull_failed');
	});

	const MEDIA_PATH = '/__emulator/media/video-10.mp4';
	it.each([
		['an http:// URL, even a verified one', (base: string) => `${base}${MEDIA_PATH}`],
		[
			'https on an IPv4 address',
			(base: string) => `${base.replace('http:', 'https:')}${MEDIA_PATH}`,
		],
		[
			'https on an IPv6 address',
			(base: string) => `https://[::1]:${new URL(base).port}${MEDIA_PATH}`,
		],
		['https on a host the pull-host map lacks', () => `https://media.example.com${MEDIA_PATH}`],
	])('fails the pull of %s with video_pull_failed', async (_name, urlOf) => {
		const url = urlOf(emulator.url);
		await configure(emulator, { verifiedUrlPrefixes: [url] });
		const publishId = await pullVideo(url);
		await waitForPost(emulator, publishId, (p: Json) => p.status === 'FAILED');
		expect((await status(publishId)).body.data.fail_reason).toBe('video_pull_failed');
		// Refused without connecting: the emulator's media route was never asked.
		const requests = (await state(emulator)).requests;
		expect(requests.filter((r: Json) => r.path.startsWith('/__emulator/media/'))).toEqual([]);
	});

	it('pulls every photo, records one sha256 per photo, and DIRECT_POST completes', async () => {
		const response = await api(emulator, '/v2/post/publish/content/init/', {
			token,
			body: photoBody(),
		});
		const publishId = response.body.data.publish_id;
		const stored = await waitForPost(emulator, publishId, (p: Json) => p.sha256.every(Boolean));
		expect(stored.sha256).toHaveLength(2);
		const photo2 = Buffer.from(
			await (await fetch(`${emulator.url}/__emulator/media/photo-2.jpg`)).arrayBuffer(),
		);
		expect(stored.sha256[1]).toBe(createHash('sha256').update(photo2).digest('hex'));
		await advanceClock(emulator, 2);
		expect((await status(publishId)).body.data.status).toBe('PUBLISH_COMPLETE');
	});

	it('photo MEDIA_UPLOAD ends in SEND_TO_USER_INBOX', async () => {
		const body = photoBody({ post_mode: 'MEDIA_UPLOAD' });
		const publishId = (await api(emulator, '/v2/post/publish/content/init/', { token, body })).body
			.data.publish_id;
		await waitForPost(emulator, publishId, (p: Json) => p.sha256.every(Boolean));
		await advanceClock(emulator, 2);
		expect((await status(publishId)).body.data.status).toBe('SEND_TO_USER_INBOX');
	});

	it('fails a photo post with photo_pull_failed if one photo is missing', async () => {
		const body = photoBody();
		body.source_info.photo_images.push(mediaUrl('nope.jpg'));
		const publishId = (await api(emulator, '/v2/post/publish/content/init/', { token, body })).body
			.data.publish_id;
		await waitForPost(emulator, publishId, (p: Json) => p.status === 'FAILED');
		expect((await status(publishId)).body.data.fail_reason).toBe('photo_pull_failed');
	});
});

describe('PULL_FROM_URL from a custom pull-host map', () => {
	// A media server of the test's own, standing in for https://media.example.test/.
	const video = Buffer.alloc(50_000, 3);
	const seen: Array<{ path: string; host: string | undefined }> = [];
	let server: http.Server;
	let origin: string;

	beforeAll(async () => {
		server = http.createServer((req, res) => {
			seen.push({ path: req.url ?? '', host: req.headers.host });
			if (req.url?.startsWith('/v.mp4')) {
				res.writeHead(200, { 'content-type': 'video/mp4', 'content-length': video.length });
				return void res.end(video);
			}
			if (req.url === '/moved.mp4') {
				res.writeHead(302, { location: 'https://media.example.test/v.mp4' });
				return void res.end();
			}
			res.writeHead(404).end();
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	});
	afterAll(async () => {
		await new Promise((resolve) => server.close(resolve));
	});
	beforeEach(async () => {
		seen.length = 0;
		await configure(emulator, {
			pullHosts: { 'media.example.test': origin },
			verifiedUrlPrefixes: ['https://media.example.test/', mediaUrl('')],
		});
	});

	it('fetches the same path and query from the mapped origin, with the public Host header', async () => {
		const publishId = await pullVideo('https://media.example.test/v.mp4?sig=a%2Bb&n=1');
		const stored = await waitForPost(emulator, publishId, (p: Json) => p.sha256);
		expect(stored.sha256).toBe(createHash('sha256').update(video).digest('hex'));
		expect(stored.bytes).toBe(video.length);
		expect(seen).toEqual([{ path: '/v.mp4?sig=a%2Bb&n=1', host: 'media.example.test' }]);
	});

	it('does not follow a redirect (video_pull_failed)', async () => {
		const publishId = await pullVideo('https://media.example.test/moved.mp4');
		await waitForPost(emulator, publishId, (p: Json) => p.status === 'FAILED');
		expect((await status(publishId)).body.data.fail_reason).toBe('video_pull_failed');
		expect(seen.map((request) => request.path)).toEqual(['/moved.mp4']);
	});

	it('replaces the default map: media.emulator.test is no longer reachable', async () => {
		const publishId = await pullVideo(mediaUrl('video-10.mp4'));
		await waitForPost(emulator, publishId, (p: Json) => p.status === 'FAILED');
		expect((await status(publishId)).body.data.fail_reason).toBe('video_pull_failed');
	});
});

describe('cancel', () => {
	it('cancels a download in progress: only the error object, then FAILED publish_cancelled', async () => {
		const publishId = await pullVideo(mediaUrl('video-1000.mp4?delayMs=10000'));
		const response = await api(emulator, '/v2/post/publish/cancel/', {
			token,
			body: { publish_id: publishId },
		});
		expect(response.status).toBe(200);
		expect(response.body).toEqual({
			error: { code: 'ok', message: '', log_id: expect.any(String) },
		});
		expect((await status(publishId)).body.data).toMatchObject({
			status: 'FAILED',
			fail_reason: 'publish_cancelled',
		});
	});

	it('cannot cancel a FILE_UPLOAD or a finished download (publish_not_cancellable)', async () => {
		const upload = await uploadedDirectPost();
		const pulled = await pullVideo(mediaUrl('video-10.mp4'));
		await waitForPost(emulator, pulled, (p: Json) => p.sha256);
		for (const publishId of [upload, pulled]) {
			const response = await api(emulator, '/v2/post/publish/cancel/', {
				token,
				body: { publish_id: publishId },
			});
			expect(response.status).toBe(400);
			expect(response.body.error.code).toBe('publish_not_cancellable');
		}
	});
});

describe('status/fetch errors', () => {
	it('answers invalid_publish_id for an unknown publish_id', async () => {
		const response = await status('v_pub_file~v2-1.123');
		expect(response.status).toBe(400);
		expect(response.body.error.code).toBe('invalid_publish_id');
	});

	it('answers invalid_params without a publish_id', async () => {
		const response = await api(emulator, STATUS, { token, body: {} });
		expect(response.status).toBe(400);
		expect(response.body.error.code).toBe('invalid_params');
	});

	it("answers token_not_authorized_for_specified_publish_id for another user's post", async () => {
		const publishId = await uploadedDirectPost();
		const other = (await control(emulator, 'tokens', { openId: 'someone-else' })).access_token;
		const response = await api(emulator, STATUS, { token: other, body: { publish_id: publishId } });
		expect(response.status).toBe(400);
		expect(response.body.error.code).toBe('token_not_authorized_for_specified_publish_id');
	});
});
