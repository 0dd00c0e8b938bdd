/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
// The control API under /__emulator/ and the generated media.
import {
	api,
	configure,
	control,
	directVideoBody,
	issueToken,
	mediaUrl,
	putChunk,
	state,
	useEmulator,
	type Json,
} from './helpers';
import { startEmulator } from './index';

const emulator = useEmulator();
const CREATOR_INFO = '/v2/post/publish/creator_info/query/';

async function controlStatus(path: string, body: unknown): Promise<number> {
	const response = await fetch(`${emulator.url}/__emulator/${path}`, {
		method: 'POST',
		body: JSON.stringify(body),
	});
	await response.text();
	return response.status;
}

describe('POST /__emulator/reset', () => {
	it('forgets posts, tokens and settings', async () => {
		const token = await issueToken(emulator);
		await api(emulator, '/v2/post/publish/video/init/', { token, body: directVideoBody() });
		await configure(emulator, { creator: { nickname: 'Changed' } });
		await control(emulator, 'reset');
		const after = await state(emulator);
		expect(after.posts).toEqual([]);
		expect(after.tokens).toEqual([]);
		expect(after.config.creator.nickname).toBe('Emulator Creator');
		expect((await api(emulator, CREATOR_INFO, { token })).status).toBe(401);
	});

	it('returns to the settings the emulator was started with', async () => {
		const other = await startEmulator({ port: 0, config: { creator: { nickname: 'Started' } } });
		try {
			const ref = { url: other.url };
			await configure(ref, { creator: { nickname: 'Changed' } });
			await control(ref, 'reset');
			expect((await control(ref, 'config', undefined, 'GET')).creator.nickname).toBe('Started');
		} finally {
			await other.close();
		}
	});
});

describe('POST /__emulator/config', () => {
	it('merges nested settings and returns the result', async () => {
		const config = await configure(emulator, {
			creator: { username: 'new.name' },
			timings: { processingMs: 5 },
		});
		expect(config.creator).toMatchObject({ username: 'new.name', nickname: 'Emulator Creator' });
		expect(config.timings).toEqual({ processingMs: 5, moderationMs: 1000 });
		const info = await api(emulator, CREATOR_INFO, { token: await issueToken(emulator) });
		expect(info.body.data.creator_username).toBe('new.name');
	});

	it.each([
		['an unknown setting', { colour: 'red' }],
		['an unknown nested setting', { creator: { shoeSize: 9 } }],
		['a bad enum value', { refreshRotation: 'sometimes' }],
		['a bad refreshTokenReuse', { refreshTokenReuse: 'sometimes' }],
		['an unknown tokenPolicy', { tokenPolicy: '2027-01' }],
		['a null tokenPolicy', { tokenPolicy: null }],
		['a bad megabyte', { megabyte: 1024 }],
		['pullHosts as a list', { pullHosts: ['media.example.test'] }],
		['a pullHosts IP address', { pullHosts: { '127.0.0.1': 'http://127.0.0.1:8080' } }],
		['a pullHosts single-label name', { pullHosts: { media: 'http://127.0.0.1:8080' } }],
		[
			'an uppercase pullHosts name',
			{ pullHosts: { 'Media.Example.test': 'http://127.0.0.1:8080' } },
		],
		[
			'a non-loopback pullHosts origin',
			{ pullHosts: { 'media.example.test': 'http://10.0.0.1:8080' } },
		],
		[
			'an https pullHosts origin',
			{ pullHosts: { 'media.example.test': 'https://127.0.0.1:8443' } },
		],
		[
			'a pullHosts origin without port',
			{ pullHosts: { 'media.example.test': 'http://127.0.0.1' } },
		],
		[
			'a pullHosts origin with a path',
			{ pullHosts: { 'media.example.test': 'http://127.0.0.1:80/x' } },
		],
		[
			'a pullHosts port out of range',
			{ pullHosts: { 'media.example.test': 'http://localhost:70000' } },
		],
		['a non-string pullHosts origin', { pullHosts: { 'media.example.test': 8080 } }],
	])('rejects %s with 400', async (_name, patch) => {
		expect(await controlStatus('config', patch)).toBe(400);
	});

	it('accepts pullHosts origins on 127.0.0.1, localhost and [::1]', async () => {
		const pullHosts = {
			'media.example.test': 'http://127.0.0.1:8080',
			'cdn.media.example.test': 'http://localhost:8081/',
			'v6.example.test': 'http://[::1]:8082',
		};
		expect((await configure(emulator, { pullHosts })).pullHosts).toEqual(pullHosts);
	});

	it('tokenPolicy sets the three token settings; individual settings in the same patch win', async () => {
		const pick = (config: Json) => [
			config.accessTokenLifetimeSec,
			config.refreshTokenLifetimeSec,
			config.refreshRotation,
		];
		const old = await configure(emulator, { tokenPolicy: 'pre-2026-11' });
		expect(pick(old)).toEqual([86400, 31536000, 'rotate']);
		expect(old).not.toHaveProperty('tokenPolicy');
		expect(pick(await configure(emulator, { tokenPolicy: '2026-11' }))).toEqual([
			7200,
			15552000,
			'rotate-and-revoke-old',
		]);
		// Precedence does not depend on the order of the keys.
		const mixed = await configure(emulator, {
			refreshRotation: 'stable',
			tokenPolicy: 'pre-2026-11',
			accessTokenLifetimeSec: 600,
		});
		expect(pick(mixed)).toEqual([600, 31536000, 'stable']);
	});

	it('tokenPolicy works as a start setting, and reset returns to it', async () => {
		const other = await startEmulator({ port: 0, config: { tokenPolicy: 'pre-2026-11' } });
		try {
			const ref = { url: other.url };
			await configure(ref, { tokenPolicy: '2026-11' });
			await control(ref, 'reset');
			expect(await control(ref, 'tokens', {})).toMatchObject({
				expires_in: 86400,
				refresh_expires_in: 31536000,
			});
		} finally {
			await other.close();
		}
	});

	it('documents its defaults (GET)', async () => {
		const config = await control(emulator, 'config', undefined, 'GET');
		expect(config).toMatchObject({
			autoApprove: false,
			audited: true,
			clientKeyIn: 'body',
			// TikTok's November 2026 token policy (reference §15.2).
			accessTokenLifetimeSec: 7200,
			refreshTokenLifetimeSec: 15552000,
			refreshRotation: 'rotate-and-revoke-old',
			refreshTokenReuse: 'reject',
			verifiedUrlPrefixes: null,
			pullHosts: null,
			errorStatus: 'documented',
			megabyte: 1048576,
			rateLimits: true,
			dailyPostCap: 15,
			app: {
				clientKey: 'emulator-client-key',
				name: 'n8n TikTok emulator app',
				redirectUris: null,
			},
		});
	});
});

describe('POST /__emulator/tokens', () => {
	it('issues a pair with the requested scopes', async () => {
		const pair = await control(emulator, 'tokens', { scopes: ['video.upload'] });
		expect(pair).toMatchObject({
			scope: 'video.upload',
			expires_in: 7200,
			refresh_expires_in: 15552000,
			open_id: expect.any(String),
		});
		expect(pair.access_token).toMatch(/^act\./);
		expect(pair.refresh_token).toMatch(/^rft\./);
	});

	it('rejects unknown scopes', async () => {
		expect(await controlStatus('tokens', { scopes: ['video.delete'] })).toBe(400);
	});
});

describe('POST /__emulator/clock', () => {
	it('moves the clock and reports the offset', async () => {
		const result = await control(emulator, 'clock', { advanceSeconds: 90 });
		expect(result.offsetSeconds).toBe(90);
		expect(Date.parse(result.now) - Date.now()).toBeGreaterThan(80_000);
		expect(await controlStatus('clock', { advanceSeconds: -1 })).toBe(400);
	});
});

describe('POST /__emulator/faults', () => {
	it('answers with the given status, body and headers, the given number of times', async () => {
		await control(emulator, 'faults', {
			faults: [
				{
					path: CREATOR_INFO,
					status: 500,
					body: { error: { code: 'internal_error', message: 'boom', log_id: 'x' } },
					headers: { 'retry-after': '1' },
					times: 2,
				},
			],
		});
		const token = await issueToken(emulator);
		const first = await api(emulator, CREATOR_INFO, { token });
		expect(first.status).toBe(500);
		expect(first.body.error.message).toBe('boom');
		expect(first.headers.get('retry-after')).toBe('1');
		expect((await api(emulator, CREATOR_INFO, { token })).status).toBe(500);
		expect((await api(emulator, CREATOR_INFO, { token })).status).toBe(200);
	});

	it('defaults the body to an envelope matching the status (429 → rate_limit_exceeded)', async () => {
		await control(emulator, 'faults', { faults: [{ path: CREATOR_INFO, status: 429 }] });
		const response = await api(emulator, CREATOR_INFO, { token: await issueToken(emulator) });
		expect([response.status, response.body.error.code]).toEqual([429, 'rate_limit_exceeded']);
	});

	it('matches by method and by regex path', async () => {
		await control(emulator, 'faults', {
			faults: [
				{ method: 'GET', path: CREATOR_INFO, status: 502 },
				{ path: '^/v2/user/info/\\?fields=.*username', status: 503 },
			],
		});
		const token = await issueToken(emulator);
		expect((await api(emulator, CREATOR_INFO, { token })).status).toBe(200);
		expect(
			(await api(emulator, '/v2/user/info/?fields=open_id', { token, method: 'GET' })).status,
		).toBe(200);
		expect(
			(await api(emulator, '/v2/user/info/?fields=open_id,username', { token, method: 'GET' }))
				.status,
		).toBe(503);
	});

	it('times: -1 repeats until reset', async () => {
		await control(emulator, 'faults', { faults: [{ path: CREATOR_INFO, status: 500, times: -1 }] });
		const token = await issueToken(emulator);
		for (let i = 0; i < 3; i++)
			expect((await api(emulator, CREATOR_INFO, { token })).status).toBe(500);
		await control(emulator, 'faults', undefined, 'DELETE');
		expect((await api(emulator, CREATOR_INFO, { token })).status).toBe(200);
	});

	it('skip lets the first matching requests through (the second item\'s request fails)', async () => {
		await control(emulator, 'faults', { faults: [{ path: CREATOR_INFO, status: 503, skip: 2 }] });
		const token = await issueToken(emulator);
		const statuses = [];
		for (let i = 0; i < 4; i++) statuses.push((await api(emulator, CREATOR_INFO, { token })).status);
		expect(statuses).toEqual([200, 200, 503, 200]);
		expect(await controlStatus('faults', { faults: [{ path: CREATOR_INFO, skip: -1 }] })).toBe(400);
	});

	it('records when a client gave up on a request it sent (abortedAtMs)', async () => {
		await control(emulator, 'faults', { faults: [{ path: CREATOR_INFO, delayMs: 5_000 }] });
		const abort = new AbortController();
		const pending = fetch(`${emulator.url}${CREATOR_INFO}`, { method: 'POST', signal: abort.signal }).catch(() => undefined);
		for (let i = 0; i < 50 && !(await lastRequestTo(CREATOR_INFO)); i++) await new Promise((r) => setTimeout(r, 20));
		const abortedAt = Date.now();
		abort.abort();
		await pending;
		let entry: { status: unknown; abortedAtMs?: number } | undefined;
		for (let i = 0; i < 50 && entry?.status !== 'aborted'; i++) {
			await new Promise((r) => setTimeout(r, 20));
			entry = await lastRequestTo(CREATOR_INFO);
		}
		expect(entry?.status).toBe('aborted');
		expect(entry?.abortedAtMs).toBeGreaterThanOrEqual(abortedAt - 5);
		expect(entry?.abortedAtMs).toBeLessThan(abortedAt + 1_000);
	});

	it('delayMs delays the normal answer', async () => {
		await control(emulator, 'faults', { faults: [{ path: CREATOR_INFO, delayMs: 300 }] });
		const started = Date.now();
		const response = await api(emulator, CREATOR_INFO, { token: await issueToken(emulator) });
		expect(response.status).toBe(200);
		expect(Date.now() - started).toBeGreaterThanOrEqual(250);
	});

	it('drop before-response does the work but never answers (the post exists)', async () => {
		await control(emulator, 'faults', {
			faults: [{ path: '/v2/post/publish/video/init/', drop: 'before-response' }],
		});
		const token = await issueToken(emulator);
		await expect(
			api(emulator, '/v2/post/publish/video/init/', { token, body: directVideoBody() }),
		).rejects.toThrow();
		const after = await state(emulator);
		expect(after.posts).toHaveLength(1);
		expect(after.requests.at(-1).status).toBe('dropped');
	});

	it('rejects malformed faults', async () => {
		expect(await controlStatus('faults', { faults: [{ drop: 'sometimes' }] })).toBe(400);
		expect(await controlStatus('faults', { nope: [] })).toBe(400);
	});
});

describe('GET /__emulator/state', () => {
	it('logs requests with masked secrets and supports ?since=', async () => {
		const pair = await control(emulator, 'tokens', {});
		const init = await api(emulator, '/v2/post/publish/video/init/', {
			token: pair.access_token,
			body: directVideoBody(),
		});
		const uploadUrl: string = init.body.data.upload_url;
		await putChunk(uploadUrl, Buffer.alloc(1000), { first: 0, total: 1000 });
		const full = await state(emulator);
		const text = JSON.stringify(full);
		expect(text).not.toContain(pair.access_token);
		expect(text).not.toContain(new URL(uploadUrl).searchParams.get('upload_token'));
		const [initEntry, putEntry] = full.requests;
		expect(initEntry).toMatchObject({
			method: 'POST',
			path: '/v2/post/publish/video/init/',
			status: 200,
		});
		expect(initEntry.headers.authorization).toMatch(/^Bearer act\.….+$/);
		expect(putEntry).toMatchObject({ method: 'PUT', status: 201, chunkIndex: 0 });
		expect(putEntry.headers['content-range']).toBe('bytes 0-999/1000');
		const later = await state(emulator, initEntry.id);
		expect(later.requests.map((r: Json) => r.id)).toEqual([putEntry.id]);
		expect(later.lastRequestId).toBe(putEntry.id);
	});
});

describe('generated media', () => {
	it('has a public https URL on media.emulator.test (RunningEmulator.mediaUrl, mediaHost)', async () => {
		const other = await startEmulator({ port: 0 });
		try {
			expect(other.mediaHost).toBe('media.emulator.test');
			expect(other.mediaUrl('video-3000000.mp4')).toBe(
				'https://media.emulator.test/__emulator/media/video-3000000.mp4',
			);
			expect(other.mediaUrl('photo-1.jpg?delayMs=20000')).toBe(
				'https://media.emulator.test/__emulator/media/photo-1.jpg?delayMs=20000',
			);
			expect(mediaUrl('photo-1.jpg')).toBe(other.mediaUrl('photo-1.jpg'));
		} finally {
			await other.close();
		}
	});

	it('serves video-<bytes>.mp4 deterministically with Content-Length and an ftyp header', async () => {
		const url = `${emulator.url}/__emulator/media/video-200000.mp4`;
		const [a, b] = await Promise.all([fetch(url), fetch(url)]);
		expect(a.headers.get('content-length')).toBe('200000');
		expect(a.headers.get('content-type')).toBe('video/mp4');
		const [bytesA, bytesB] = [
			Buffer.from(await a.arrayBuffer()),
			Buffer.from(await b.arrayBuffer()),
		];
		expect(bytesA.length).toBe(200000);
		expect(bytesA.equals(bytesB)).toBe(true);
		expect(bytesA.subarray(4, 8).toString()).toBe('ftyp');
	});

	it('serves photo-<n>.jpg as JPEG bytes, different per n', async () => {
		const one = Buffer.from(
			await (await fetch(`${emulator.url}/__emulator/media/photo-1.jpg`)).arrayBuffer(),
		);
		const two = Buffer.from(
			await (await fetch(`${emulator.url}/__emulator/media/photo-2.jpg`)).arrayBuffer(),
		);
		expect(one.subarray(0, 3).toString('hex')).toBe('ffd8ff');
		expect(one.subarray(-2).toString('hex')).toBe('ffd9');
		expect(one.equals(two)).toBe(false);
	});

	it('answers 404 for other names', async () => {
		expect((await fetch(`${emulator.url}/__emulator/media/video.mp4`)).status).toBe(404);
	});
});

async function lastRequestTo(path: string): Promise<{ status: unknown; abortedAtMs?: number } | undefined> {
	const state = await control(emulator, 'state', undefined, 'GET');
	const matching = (state.requests as Array<{ path: string; status: unknown; abortedAtMs?: number }>).filter(
		(entry) => entry.path === path,
	);
	return matching[matching.length - 1];
}
