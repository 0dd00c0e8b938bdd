// Rate limits, caps and account/app gates (reference §1, §3, §4.3, §5, §6, §11, §12).
import {
	advanceClock,
	api,
	configure,
	control,
	directVideoBody,
	issueToken,
	mediaUrl,
	photoBody,
	rawRequest,
	useEmulator,
} from './helpers';

const emulator = useEmulator();

const CREATOR_INFO = '/v2/post/publish/creator_info/query/';
const VIDEO_INIT = '/v2/post/publish/video/init/';
const INBOX_INIT = '/v2/post/publish/inbox/video/init/';
const CONTENT_INIT = '/v2/post/publish/content/init/';
const INBOX_BODY = { source_info: directVideoBody().source_info };

async function statuses(count: number, call: () => Promise<{ status: number }>): Promise<number[]> {
	const result: number[] = [];
	for (let i = 0; i < count; i++) result.push((await call()).status);
	return result;
}

describe('per-token rate limits (sliding one-minute window on the emulator clock)', () => {
	it.each([
		['creator info', CREATOR_INFO, undefined, 20],
		['video init', VIDEO_INIT, directVideoBody(), 6],
		['inbox init', INBOX_INIT, INBOX_BODY, 6],
		['content init', CONTENT_INIT, 'photo', 6],
		['status fetch', '/v2/post/publish/status/fetch/', { publish_id: 'x' }, 30],
	])(
		'%s: %d requests pass, the next gets 429 rate_limit_exceeded',
		async (_name, path, body, limit) => {
			await configure(emulator, { dailyPostCap: 1000, pendingDraftCap: 1000 });
			const token = await issueToken(emulator);
			const requestBody = body === 'photo' ? photoBody() : body;
			const call = () => api(emulator, path, { token, body: requestBody });
			const results = await statuses(limit, call);
			expect(results.every((status) => status !== 429)).toBe(true);
			const limited = await call();
			expect(limited.status).toBe(429);
			expect(limited.body.error.code).toBe('rate_limit_exceeded');
			// Another token has its own budget; the window frees up after a minute.
			expect(
				(await api(emulator, path, { token: await issueToken(emulator), body: requestBody }))
					.status,
			).not.toBe(429);
			await advanceClock(emulator, 61);
			expect((await call()).status).not.toBe(429);
		},
	);

	it('user info allows 600 per minute', async () => {
		const token = await issueToken(emulator);
		const call = () => api(emulator, '/v2/user/info/?fields=open_id', { token, method: 'GET' });
		for (let batch = 0; batch < 12; batch++) {
			const results = await Promise.all(Array.from({ length: 50 }, call));
			expect(results.map((r) => r.status)).toEqual(Array(50).fill(200));
		}
		expect((await call()).status).toBe(429);
	});

	it('the init endpoints have separate budgets', async () => {
		const token = await issueToken(emulator);
		await statuses(6, () => api(emulator, VIDEO_INIT, { token, body: directVideoBody() }));
		expect((await api(emulator, INBOX_INIT, { token, body: INBOX_BODY })).status).toBe(200);
	});

	it('rateLimits: false switches them off', async () => {
		await configure(emulator, { rateLimits: false });
		const token = await issueToken(emulator);
		expect(await statuses(25, () => api(emulator, CREATOR_INFO, { token }))).toEqual(
			Array(25).fill(200),
		);
	});
});

describe('daily post cap (spam_risk_too_many_posts)', () => {
	it('blocks the 16th direct post in 24 h; creator info then reports it with HTTP 200', async () => {
		await configure(emulator, { rateLimits: false });
		const token = await issueToken(emulator);
		expect(
			await statuses(15, () => api(emulator, VIDEO_INIT, { token, body: directVideoBody() })),
		).toEqual(Array(15).fill(200));
		const blocked = await api(emulator, CONTENT_INIT, { token, body: photoBody() });
		expect(blocked.status).toBe(403);
		expect(blocked.body.error.code).toBe('spam_risk_too_many_posts');
		const info = await api(emulator, CREATOR_INFO, { token });
		expect(info.status).toBe(200);
		expect(info.body.error.code).toBe('spam_risk_too_many_posts');
		// Drafts are not direct posts.
		expect((await api(emulator, INBOX_INIT, { token, body: INBOX_BODY })).status).toBe(200);
		await advanceClock(emulator, 24 * 3600);
		const fresh = await issueToken(emulator);
		expect(
			(await api(emulator, VIDEO_INIT, { token: fresh, body: directVideoBody() })).status,
		).toBe(200);
	});

	it('follows dailyPostCap', async () => {
		await configure(emulator, { dailyPostCap: 1 });
		const token = await issueToken(emulator);
		expect(
			await statuses(2, () => api(emulator, VIDEO_INIT, { token, body: directVideoBody() })),
		).toEqual([200, 403]);
	});
});

describe('pending drafts cap (spam_risk_too_many_pending_share)', () => {
	it('allows 5 pending drafts (video and photo), blocks the 6th until one is posted', async () => {
		const token = await issueToken(emulator);
		await configure(emulator, { rateLimits: false });
		const ids: string[] = [];
		for (let i = 0; i < 4; i++)
			ids.push((await api(emulator, INBOX_INIT, { token, body: INBOX_BODY })).body.data.publish_id);
		const photo = await api(emulator, CONTENT_INIT, {
			token,
			body: photoBody({ post_mode: 'MEDIA_UPLOAD' }),
		});
		expect(photo.status).toBe(200);
		const blocked = await api(emulator, INBOX_INIT, { token, body: INBOX_BODY });
		expect(blocked.status).toBe(403);
		expect(blocked.body.error.code).toBe('spam_risk_too_many_pending_share');
		const photoBlocked = await api(emulator, CONTENT_INIT, {
			token,
			body: photoBody({ post_mode: 'MEDIA_UPLOAD' }),
		});
		expect(photoBlocked.body.error.code).toBe('spam_risk_too_many_pending_share');
		expect((await api(emulator, VIDEO_INIT, { token, body: directVideoBody() })).status).toBe(200);
	});

	it('frees a slot when the creator posts a draft', async () => {
		const token = await issueToken(emulator);
		await configure(emulator, {
			rateLimits: false,
			pendingDraftCap: 1,
			timings: { processingMs: 0, moderationMs: 0 },
		});
		const init = await api(emulator, INBOX_INIT, { token, body: INBOX_BODY });
		await rawRequest(init.body.data.upload_url, {
			method: 'PUT',
			headers: {
				'content-type': 'video/mp4',
				'content-length': 1000,
				'content-range': 'bytes 0-999/1000',
			},
			body: Buffer.alloc(1000),
		});
		expect((await api(emulator, INBOX_INIT, { token, body: INBOX_BODY })).status).toBe(403);
		await control(emulator, `drafts/${encodeURIComponent(init.body.data.publish_id)}/publish`);
		expect((await api(emulator, INBOX_INIT, { token, body: INBOX_BODY })).status).toBe(200);
	});
});

describe('unaudited client', () => {
	it('blocks direct posts to a public account, even SELF_ONLY', async () => {
		await configure(emulator, { audited: false });
		const token = await issueToken(emulator);
		const response = await api(emulator, VIDEO_INIT, {
			token,
			body: directVideoBody({ privacy_level: 'SELF_ONLY' }),
		});
		expect(response.status).toBe(403);
		expect(response.body.error.code).toBe('unaudited_client_can_only_post_to_private_accounts');
		const photo = await api(emulator, CONTENT_INIT, { token, body: photoBody() });
		expect(photo.body.error.code).toBe('unaudited_client_can_only_post_to_private_accounts');
	});

	it('allows only SELF_ONLY on a private account', async () => {
		await configure(emulator, {
			audited: false,
			creator: {
				privateAccount: true,
				privacyLevelOptions: ['FOLLOWER_OF_CREATOR', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
			},
		});
		const token = await issueToken(emulator);
		expect(
			(
				await api(emulator, VIDEO_INIT, {
					token,
					body: directVideoBody({ privacy_level: 'SELF_ONLY' }),
				})
			).status,
		).toBe(200);
		const friends = await api(emulator, VIDEO_INIT, {
			token,
			body: directVideoBody({ privacy_level: 'FOLLOWER_OF_CREATOR' }),
		});
		expect(friends.body.error.code).toBe('unaudited_client_can_only_post_to_private_accounts');
	});

	it('does not affect drafts', async () => {
		await configure(emulator, { audited: false });
		expect(
			(await api(emulator, INBOX_INIT, { token: await issueToken(emulator), body: INBOX_BODY }))
				.status,
		).toBe(200);
	});
});

describe('url_ownership_unverified', () => {
	it('rejects a video_url outside the verified prefixes (only the emulator media prefix by default)', async () => {
		const token = await issueToken(emulator);
		for (const url of [
			`http://127.0.0.1:1/other/v.mp4`,
			`${emulator.url}/elsewhere/v.mp4`,
			'https://example.com/v.mp4',
			'https://media.emulator.test/elsewhere/v.mp4',
		]) {
			const body = directVideoBody({}, { source: 'PULL_FROM_URL', video_url: url });
			const response = await api(emulator, VIDEO_INIT, { token, body });
			expect(response.status).toBe(403);
			expect(response.body.error.code).toBe('url_ownership_unverified');
		}
	});

	it('the default prefix is the https media host: the same media over http:// is unverified', async () => {
		const token = await issueToken(emulator);
		const init = (video_url: string) =>
			api(emulator, VIDEO_INIT, {
				token,
				body: directVideoBody({}, { source: 'PULL_FROM_URL', video_url }),
			});
		const plain = await init(`${emulator.url}/__emulator/media/video-10.mp4`);
		expect([plain.status, plain.body.error.code]).toEqual([403, 'url_ownership_unverified']);
		const https = await init(mediaUrl('video-10.mp4'));
		expect([https.status, https.body.error.code]).toEqual([200, 'ok']);
	});

	it('checks every photo URL and the inbox video URL', async () => {
		const token = await issueToken(emulator);
		const photo = photoBody();
		photo.source_info.photo_images.push('https://unverified.example/p.jpg');
		expect((await api(emulator, CONTENT_INIT, { token, body: photo })).body.error.code).toBe(
			'url_ownership_unverified',
		);
		const inbox = {
			source_info: { source: 'PULL_FROM_URL', video_url: 'https://unverified.example/v.mp4' },
		};
		expect((await api(emulator, INBOX_INIT, { token, body: inbox })).body.error.code).toBe(
			'url_ownership_unverified',
		);
	});

	it('follows verifiedUrlPrefixes', async () => {
		await configure(emulator, { verifiedUrlPrefixes: [`${emulator.url}/elsewhere/`] });
		const token = await issueToken(emulator);
		const body = directVideoBody(
			{},
			{ source: 'PULL_FROM_URL', video_url: `${emulator.url}/elsewhere/v.mp4` },
		);
		expect((await api(emulator, VIDEO_INIT, { token, body })).status).toBe(200);
	});
});

describe('account flags', () => {
	it('reached_active_user_cap: direct inits 403, creator info 200', async () => {
		await configure(emulator, { activeUserCapReached: true });
		const token = await issueToken(emulator);
		const init = await api(emulator, VIDEO_INIT, { token, body: directVideoBody() });
		expect(init.status).toBe(403);
		expect(init.body.error.code).toBe('reached_active_user_cap');
		const info = await api(emulator, CREATOR_INFO, { token });
		expect(info.status).toBe(200);
		expect(info.body.error.code).toBe('reached_active_user_cap');
	});

	it('spam_risk_user_banned_from_posting on every init; creator info 200', async () => {
		await configure(emulator, { bannedFromPosting: true });
		const token = await issueToken(emulator);
		for (const [path, body] of [
			[VIDEO_INIT, directVideoBody()],
			[INBOX_INIT, INBOX_BODY],
			[CONTENT_INIT, photoBody()],
		] as const) {
			const response = await api(emulator, path, { token, body });
			expect(response.status).toBe(403);
			expect(response.body.error.code).toBe('spam_risk_user_banned_from_posting');
		}
		const info = await api(emulator, CREATOR_INFO, { token });
		expect([info.status, info.body.error.code]).toEqual([
			200,
			'spam_risk_user_banned_from_posting',
		]);
	});
});

describe('errorStatus: 200', () => {
	it('returns the spam/cap/url-ownership codes with HTTP 200; other errors keep their status', async () => {
		await configure(emulator, { errorStatus: 200, dailyPostCap: 0 });
		const token = await issueToken(emulator);
		const capped = await api(emulator, VIDEO_INIT, { token, body: directVideoBody() });
		expect([capped.status, capped.body.error.code]).toEqual([200, 'spam_risk_too_many_posts']);
		await configure(emulator, { dailyPostCap: 15 });
		const url = await api(emulator, VIDEO_INIT, {
			token,
			body: directVideoBody(
				{},
				{ source: 'PULL_FROM_URL', video_url: 'https://example.com/v.mp4' },
			),
		});
		expect([url.status, url.body.error.code]).toEqual([200, 'url_ownership_unverified']);
		const invalid = await api(emulator, VIDEO_INIT, {
			token,
			body: directVideoBody({ privacy_level: 'NOPE' }),
		});
		expect(invalid.status).toBe(400);
	});
});
