// Creator info and the init endpoints' body rules (reference §3, §4, §5, §6).
import {
	api,
	configure,
	directVideoBody,
	issueToken,
	mediaUrl,
	photoBody,
	state,
	useEmulator,
	type Json,
} from './helpers';

const emulator = useEmulator();

const VIDEO_INIT = '/v2/post/publish/video/init/';
const INBOX_INIT = '/v2/post/publish/inbox/video/init/';
const CONTENT_INIT = '/v2/post/publish/content/init/';

async function post(path: string, body: unknown) {
	return api(emulator, path, { token: await issueToken(emulator), body });
}

async function expectInvalidParams(path: string, body: unknown) {
	const response = await post(path, body);
	expect(response.status).toBe(400);
	expect(response.body.error.code).toBe('invalid_params');
	return response;
}

describe('creator_info/query', () => {
	it('returns the configured creator with every documented field', async () => {
		const response = await post('/v2/post/publish/creator_info/query/', undefined);
		expect(response.body.data).toEqual({
			creator_avatar_url: expect.any(String),
			creator_username: 'emulator.creator',
			creator_nickname: 'Emulator Creator',
			privacy_level_options: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
			comment_disabled: false,
			duet_disabled: false,
			stitch_disabled: false,
			max_video_post_duration_sec: 300,
		});
	});

	it('follows the creator settings; a private account has duet and stitch disabled', async () => {
		await configure(emulator, {
			creator: {
				nickname: 'Priv',
				privateAccount: true,
				privacyLevelOptions: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'],
				commentDisabled: true,
				maxVideoPostDurationSec: 600,
			},
		});
		const { data } = (await post('/v2/post/publish/creator_info/query/', {})).body;
		expect(data).toMatchObject({
			creator_nickname: 'Priv',
			privacy_level_options: ['FOLLOWER_OF_CREATOR', 'SELF_ONLY'],
			comment_disabled: true,
			duet_disabled: true,
			stitch_disabled: true,
			max_video_post_duration_sec: 600,
		});
	});
});

describe('video/init (direct post)', () => {
	it('accepts a FILE_UPLOAD init and returns publish_id and an upload_url', async () => {
		const response = await post(VIDEO_INIT, directVideoBody());
		expect(response.status).toBe(200);
		expect(response.body.data.publish_id).toMatch(/^v_pub_file~v2-1\.\d+$/);
		expect(response.body.data.upload_url).toMatch(
			new RegExp(`^${emulator.url}/video/\\?upload_id=\\d+&upload_token=\\w+$`),
		);
	});

	it('tolerates unknown fields', async () => {
		const body = directVideoBody({ some_future_flag: true });
		const response = await post(VIDEO_INIT, { ...body, extra_top_level: 1 });
		expect(response.status).toBe(200);
	});

	it('records post_info and source_info in the state', async () => {
		const { body } = await post(VIDEO_INIT, directVideoBody({ title: 'kept', is_aigc: true }));
		const stored = (await state(emulator)).posts.find(
			(p: { publish_id: string }) => p.publish_id === body.data.publish_id,
		);
		expect(stored.endpoint).toBe(VIDEO_INIT);
		expect(stored.post_info).toMatchObject({ title: 'kept', is_aigc: true });
		expect(stored.source_info).toMatchObject({ source: 'FILE_UPLOAD', video_size: 1000 });
	});

	it('rejects a missing post_info', async () => {
		await expectInvalidParams(VIDEO_INIT, { source_info: directVideoBody().source_info });
	});

	it('rejects a body that is not JSON', async () => {
		const response = await fetch(`${emulator.url}${VIDEO_INIT}`, {
			method: 'POST',
			headers: {
				authorization: `Bearer ${await issueToken(emulator)}`,
				'content-type': 'application/json',
			},
			body: '{"post_info":',
		});
		expect(response.status).toBe(400);
		expect(((await response.json()) as Json).error.code).toBe('invalid_params');
	});

	it('rejects an unknown privacy_level value with invalid_params', async () => {
		await expectInvalidParams(VIDEO_INIT, directVideoBody({ privacy_level: 'PUBLIC' }));
	});

	it('rejects a missing privacy_level with 403 privacy_level_option_mismatch', async () => {
		const body = directVideoBody();
		delete (body.post_info as Record<string, unknown>).privacy_level;
		const response = await post(VIDEO_INIT, body);
		expect(response.status).toBe(403);
		expect(response.body.error.code).toBe('privacy_level_option_mismatch');
	});

	it('rejects a valid privacy_level not among the creator options with privacy_level_option_mismatch', async () => {
		const response = await post(
			VIDEO_INIT,
			directVideoBody({ privacy_level: 'FOLLOWER_OF_CREATOR' }),
		);
		expect(response.status).toBe(403);
		expect(response.body.error.code).toBe('privacy_level_option_mismatch');
	});

	it('requires brand_content_toggle as a boolean', async () => {
		const body = directVideoBody();
		delete (body.post_info as Record<string, unknown>).brand_content_toggle;
		await expectInvalidParams(VIDEO_INIT, body);
		await expectInvalidParams(VIDEO_INIT, directVideoBody({ brand_content_toggle: 'false' }));
	});

	it.each(['disable_duet', 'disable_stitch', 'disable_comment', 'brand_organic_toggle', 'is_aigc'])(
		'rejects a non-boolean %s',
		async (field) => {
			await expectInvalidParams(VIDEO_INIT, directVideoBody({ [field]: 'yes' }));
		},
	);

	it('counts the title in UTF-16 units: 2200 pass, 2201 fail', async () => {
		const emoji = '😀'; // two UTF-16 units
		expect((await post(VIDEO_INIT, directVideoBody({ title: emoji.repeat(1100) }))).status).toBe(
			200,
		);
		await expectInvalidParams(VIDEO_INIT, directVideoBody({ title: `${emoji.repeat(1100)}a` }));
	});

	it('rejects an unknown source with invalid_params', async () => {
		await expectInvalidParams(VIDEO_INIT, directVideoBody({}, { source: 'UPLOAD' }));
	});

	it('requires video_size, chunk_size and total_chunk_count for FILE_UPLOAD', async () => {
		for (const field of ['video_size', 'chunk_size', 'total_chunk_count']) {
			await expectInvalidParams(VIDEO_INIT, directVideoBody({}, { [field]: undefined }));
		}
	});

	it('requires video_url for PULL_FROM_URL', async () => {
		await expectInvalidParams(VIDEO_INIT, {
			...directVideoBody(),
			source_info: { source: 'PULL_FROM_URL' },
		});
	});
});

describe('inbox/video/init (draft)', () => {
	it('takes source_info only and returns a v_inbox_file publish_id', async () => {
		const response = await post(INBOX_INIT, { source_info: directVideoBody().source_info });
		expect(response.status).toBe(200);
		expect(response.body.data.publish_id).toMatch(/^v_inbox_file~v2\.\d+$/);
		expect(response.body.data.upload_url).toContain('/video/?upload_id=');
	});

	it('rejects a missing source_info', async () => {
		await expectInvalidParams(INBOX_INIT, {});
	});

	it('applies the chunk rules', async () => {
		const response = await expectInvalidParams(INBOX_INIT, {
			source_info: {
				source: 'FILE_UPLOAD',
				video_size: 1000,
				chunk_size: 500,
				total_chunk_count: 2,
			},
		});
		expect(response.body.error.message).toBe('The chunk size is invalid');
	});
});

describe('content/init (photo)', () => {
	it('accepts a DIRECT_POST photo post and returns a p_pub_url publish_id', async () => {
		const response = await post(CONTENT_INIT, photoBody());
		expect(response.status).toBe(200);
		expect(response.body.data.publish_id).toMatch(/^p_pub_url~v2\.\d+$/);
		expect(response.body.data.upload_url).toBeUndefined();
	});

	it('accepts MEDIA_UPLOAD without privacy_level or brand toggles', async () => {
		const response = await post(
			CONTENT_INIT,
			photoBody({ post_mode: 'MEDIA_UPLOAD', post_info: { title: 'draft' } }),
		);
		expect(response.status).toBe(200);
		expect(response.body.data.publish_id).toMatch(/^p_inbox_url~v2\./);
	});

	it.each([
		['a video media_type', { media_type: 'VIDEO' }],
		['a missing media_type', { media_type: undefined }],
		['an unknown post_mode', { post_mode: 'DIRECT POST' }],
	])('rejects %s with "Invalid media_type or post_mode"', async (_name, overrides) => {
		const response = await expectInvalidParams(CONTENT_INIT, photoBody(overrides));
		expect(response.body.error.message).toBe('Invalid media_type or post_mode');
	});

	it('rejects FILE_UPLOAD for photos', async () => {
		const body = photoBody({
			source_info: { source: 'FILE_UPLOAD', photo_images: ['x'], photo_cover_index: 0 },
		});
		const response = await expectInvalidParams(CONTENT_INIT, body);
		expect(response.body.error.message).toBe('The request source info is empty or incorrect');
	});

	it('requires 1 to 35 photo URLs', async () => {
		const url = mediaUrl('photo-1.jpg');
		const withImages = (images: string[]) =>
			photoBody({
				source_info: { source: 'PULL_FROM_URL', photo_images: images, photo_cover_index: 0 },
			});
		await expectInvalidParams(CONTENT_INIT, withImages([]));
		await expectInvalidParams(CONTENT_INIT, withImages(Array(36).fill(url)));
		expect((await post(CONTENT_INIT, withImages(Array(35).fill(url)))).status).toBe(200);
	});

	it('requires photo_cover_index within range', async () => {
		const images = [mediaUrl('photo-1.jpg'), mediaUrl('photo-2.jpg')];
		for (const index of [2, -1, undefined, '0']) {
			await expectInvalidParams(
				CONTENT_INIT,
				photoBody({
					source_info: { source: 'PULL_FROM_URL', photo_images: images, photo_cover_index: index },
				}),
			);
		}
	});

	it('limits title to 90 and description to 4000 UTF-16 units', async () => {
		expect(
			(
				await post(
					CONTENT_INIT,
					photoBody({}, { title: 't'.repeat(90), description: 'd'.repeat(4000) }),
				)
			).status,
		).toBe(200);
		await expectInvalidParams(CONTENT_INIT, photoBody({}, { title: 't'.repeat(91) }));
		await expectInvalidParams(CONTENT_INIT, photoBody({}, { description: 'd'.repeat(4001) }));
	});

	it('requires both brand toggles for DIRECT_POST', async () => {
		for (const field of ['brand_content_toggle', 'brand_organic_toggle']) {
			await expectInvalidParams(CONTENT_INIT, photoBody({}, { [field]: undefined }));
		}
	});

	it('requires privacy_level among the creator options for DIRECT_POST', async () => {
		const response = await post(CONTENT_INIT, photoBody({}, { privacy_level: undefined }));
		expect(response.status).toBe(403);
		expect(response.body.error.code).toBe('privacy_level_option_mismatch');
		await expectInvalidParams(CONTENT_INIT, photoBody({}, { privacy_level: 'EVERYONE' }));
	});

	it('rejects a non-boolean top-level is_aigc', async () => {
		await expectInvalidParams(CONTENT_INIT, photoBody({ is_aigc: 'true' }));
	});
});
