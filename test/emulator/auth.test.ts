// Envelope, x-tt-logid, bearer token and scope rules (reference §1, §2, §15.3).
import { advanceClock, api, control, issueToken, useEmulator, type Json } from './helpers';

const emulator = useEmulator();

const CREATOR_INFO = '/v2/post/publish/creator_info/query/';

describe('response envelope', () => {
	it('wraps success in {data, error:{code:"ok", message, log_id}} and echoes log_id in x-tt-logid', async () => {
		const token = await issueToken(emulator);
		const response = await api(emulator, CREATOR_INFO, { token });
		expect(response.status).toBe(200);
		expect(response.body.error.code).toBe('ok');
		expect(typeof response.body.error.message).toBe('string');
		expect(response.body.error.log_id).toMatch(/^\d{14}[0-9A-F]+$/);
		expect(response.headers.get('x-tt-logid')).toBe(response.body.error.log_id);
		expect(response.body.data.creator_nickname).toBe('Emulator Creator');
	});

	it('wraps errors in the same envelope', async () => {
		const response = await api(emulator, CREATOR_INFO);
		expect(response.status).toBe(401);
		expect(response.body).toEqual({
			data: {},
			error: {
				code: 'access_token_invalid',
				message: expect.any(String),
				log_id: expect.any(String),
			},
		});
	});

	it('answers 404 for paths TikTok does not have (trailing slash matters)', async () => {
		const token = await issueToken(emulator);
		const response = await api(emulator, '/v2/post/publish/creator_info/query', { token });
		expect(response.status).toBe(404);
	});
});

describe('bearer token', () => {
	it.each([
		['missing', undefined],
		['unknown', 'act.not-a-real-token'],
	])('rejects a %s token with 401 access_token_invalid', async (_name, token) => {
		const response = await api(emulator, CREATOR_INFO, { token });
		expect(response.status).toBe(401);
		expect(response.body.error.code).toBe('access_token_invalid');
	});

	it('rejects a token sent without the Bearer scheme', async () => {
		const token = await issueToken(emulator);
		const response = await fetch(`${emulator.url}${CREATOR_INFO}`, {
			method: 'POST',
			headers: { authorization: token },
		});
		expect(response.status).toBe(401);
		expect(((await response.json()) as Json).error.code).toBe('access_token_invalid');
	});

	it('rejects an access token after 2 hours on the emulator clock', async () => {
		const token = await issueToken(emulator);
		await advanceClock(emulator, 7200 - 5);
		expect((await api(emulator, CREATOR_INFO, { token })).status).toBe(200);
		await advanceClock(emulator, 10);
		const response = await api(emulator, CREATOR_INFO, { token });
		expect(response.status).toBe(401);
		expect(response.body.error.code).toBe('access_token_invalid');
	});

	it('honours expiresIn of POST /__emulator/tokens', async () => {
		const pair = await control(emulator, 'tokens', { expiresIn: 60 });
		expect(pair.expires_in).toBe(60);
		await advanceClock(emulator, 61);
		expect((await api(emulator, CREATOR_INFO, { token: pair.access_token })).status).toBe(401);
	});
});

describe('scope per endpoint', () => {
	const cases: Array<[string, string, string[], unknown]> = [
		['creator info', CREATOR_INFO, ['video.upload', 'user.info.basic'], undefined],
		['video direct post', '/v2/post/publish/video/init/', ['video.upload'], {}],
		['video inbox upload', '/v2/post/publish/inbox/video/init/', ['video.publish'], {}],
		[
			'photo DIRECT_POST',
			'/v2/post/publish/content/init/',
			['video.upload'],
			{ media_type: 'PHOTO', post_mode: 'DIRECT_POST' },
		],
		[
			'photo MEDIA_UPLOAD',
			'/v2/post/publish/content/init/',
			['video.publish'],
			{ media_type: 'PHOTO', post_mode: 'MEDIA_UPLOAD' },
		],
		['status fetch', '/v2/post/publish/status/fetch/', ['user.info.basic'], { publish_id: 'x' }],
		['cancel', '/v2/post/publish/cancel/', ['user.info.basic'], { publish_id: 'x' }],
	];

	it.each(cases)(
		'%s without its scope gives 401 scope_not_authorized',
		async (_name, path, scopes, body) => {
			const token = await issueToken(emulator, scopes);
			const response = await api(emulator, path, { token, body });
			expect(response.status).toBe(401);
			expect(response.body.error.code).toBe('scope_not_authorized');
		},
	);

	it('status fetch accepts either video.upload or video.publish', async () => {
		for (const scope of ['video.upload', 'video.publish']) {
			const token = await issueToken(emulator, [scope]);
			const response = await api(emulator, '/v2/post/publish/status/fetch/', {
				token,
				body: { publish_id: 'unknown' },
			});
			expect(response.body.error.code).toBe('invalid_publish_id');
		}
	});
});

describe('GET /v2/user/info/', () => {
	it('returns data.user with exactly the requested fields', async () => {
		const token = await issueToken(emulator, ['user.info.basic', 'user.info.profile']);
		const response = await api(
			emulator,
			'/v2/user/info/?fields=open_id,display_name,username,avatar_url',
			{ token, method: 'GET' },
		);
		expect(response.status).toBe(200);
		expect(Object.keys(response.body.data.user).sort()).toEqual([
			'avatar_url',
			'display_name',
			'open_id',
			'username',
		]);
		expect(response.body.data.user.username).toBe('emulator.creator');
		expect(response.body.data.user.display_name).toBe('Emulator Creator');
	});

	it('gives scope_not_authorized for username without user.info.profile', async () => {
		const token = await issueToken(emulator, ['user.info.basic']);
		const response = await api(emulator, '/v2/user/info/?fields=open_id,username', {
			token,
			method: 'GET',
		});
		expect(response.status).toBe(401);
		expect(response.body.error.code).toBe('scope_not_authorized');
	});

	it('reads stats as zero without user.info.stats, real values with it', async () => {
		const without = await issueToken(emulator, ['user.info.basic']);
		const withStats = await issueToken(emulator, ['user.info.basic', 'user.info.stats']);
		const path = '/v2/user/info/?fields=follower_count';
		expect(
			(await api(emulator, path, { token: without, method: 'GET' })).body.data.user.follower_count,
		).toBe(0);
		expect(
			(await api(emulator, path, { token: withStats, method: 'GET' })).body.data.user
				.follower_count,
		).toBe(42);
	});

	it('rejects a missing fields parameter and unknown fields with invalid_params', async () => {
		const token = await issueToken(emulator);
		for (const path of ['/v2/user/info/', '/v2/user/info/?fields=open_id,shoe_size']) {
			const response = await api(emulator, path, { token, method: 'GET' });
			expect(response.status).toBe(400);
			expect(response.body.error.code).toBe('invalid_params');
		}
	});
});
