// Post Photos, Get Status and Cancel inside a real n8n against the emulator, including TikTok's
// own errors mapped to codes, log_ids and hints.
import { N8N_START_TIMEOUT_MS } from './harness';
import { startNodeStack, type Json, type NodeStack } from './node-stack';

describe('Post Photos, Get Status, Cancel (real n8n, emulator)', () => {
	let stack: NodeStack;
	const photo = (n: number) => stack.emulator.mediaUrl(`photo-${n}.jpg`);

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-photos-status' });
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
	});

	beforeEach(async () => {
		await stack.reset();
	});

	it('publishes a photo post directly and waits for its public post id', async () => {
		const mark = await stack.mark();
		const { items } = await stack.run('node-photo-direct-post', {
			photos: [photo(1), photo(2), photo(3)],
			cover: 1,
			title: 'Three photos',
			description: 'From n8n #automation',
			privacy: 'PUBLIC_TO_EVERYONE',
			allowComments: true,
			wait: true,
		});
		expect(items[0].error).toBeUndefined();
		expect(items[0]).toMatchObject({ post_mode: 'DIRECT_POST', status: 'PUBLISH_COMPLETE', creator_nickname: 'Emulator Creator' });
		expect(items[0].post_ids[0]).toMatch(/^\d{19}$/);
		const { posts } = await stack.since(mark);
		expect(posts).toHaveLength(1);
		expect(posts[0].post_info).toMatchObject({
			title: 'Three photos',
			description: 'From n8n #automation',
			privacy_level: 'PUBLIC_TO_EVERYONE',
			disable_comment: false,
			auto_add_music: true,
			brand_content_toggle: false,
			brand_organic_toggle: false,
		});
		expect(posts[0].source_info).toMatchObject({ photo_cover_index: 1, photo_images: [photo(1), photo(2), photo(3)] });
	}, 120_000);

	it('sends photos to the inbox as a draft (MEDIA_UPLOAD) with title and description only', async () => {
		const mark = await stack.mark();
		const { items } = await stack.run('node-photo-media-upload', {
			photos: [photo(4)],
			title: 'Draft',
			description: 'Finish me in the app',
			wait: true,
		});
		expect(items[0]).toMatchObject({ post_mode: 'MEDIA_UPLOAD', status: 'SEND_TO_USER_INBOX' });
		const { posts, requests } = await stack.since(mark);
		expect(posts[0].post_info).toEqual({ title: 'Draft', description: 'Finish me in the app' });
		expect(requests.filter((r: Json) => r.path.includes('creator_info'))).toEqual([]);
	}, 120_000);

	it('accepts photo URLs as an expression returning a comma-separated string', async () => {
		const { items } = await stack.run('node-photo-media-upload', { photos: `${photo(5)}, ${photo(6)}` });
		expect(items[0].error).toBeUndefined();
		expect(items[0].publish_id).toMatch(/^p_inbox_url/);
	}, 60_000);

	it('gets a post\'s status, waiting until it is final, with exact post ids and URLs', async () => {
		const posted = await stack.run('node-photo-direct-post', { photos: [photo(7)], privacy: 'PUBLIC_TO_EVERYONE' });
		const publishId = posted.items[0].publish_id;
		expect(posted.items[0].status).toBe('PROCESSING_DOWNLOAD');
		const { items } = await stack.run('node-get-status', { publishId, wait: true });
		expect(items[0]).toMatchObject({ publish_id: publishId, status: 'PUBLISH_COMPLETE' });
		// Wait past moderation, then the public id appears as an exact 19-digit string.
		await stack.control('clock', { advanceSeconds: 60 });
		const later = await stack.run('node-get-status', { publishId });
		const { posts } = await stack.state();
		const stored = posts.find((p: Json) => p.publish_id === publishId);
		expect(later.items[0].post_ids).toEqual(stored.post_ids.map(String));
		expect(later.items[0].post_urls).toEqual([
			`https://www.tiktok.com/@emulator.creator/video/${stored.post_ids[0]}`,
		]);
	}, 120_000);

	it('reports a failed post\'s reason as data when not waiting, and as an error when waiting', async () => {
		await stack.reset({ nextFailReasons: ['picture_size_check_failed'] });
		const posted = await stack.run('node-photo-media-upload', { photos: [photo(8)] });
		const publishId = posted.items[0].publish_id;
		await stack.control('clock', { advanceSeconds: 30 });
		const asData = await stack.run('node-get-status', { publishId });
		expect(asData.items[0]).toMatchObject({ status: 'FAILED', fail_reason: 'picture_size_check_failed' });
		expect(asData.items[0].hint).toMatch(/1080|size/i);
		const asError = await stack.run('node-get-status', { publishId, wait: true });
		expect(asError.items[0]).toMatchObject({ code: 'picture_size_check_failed', publish_id: publishId });
	}, 120_000);

	it('maps TikTok errors with code, log_id and hint (unknown publish_id)', async () => {
		const { items } = await stack.run('node-get-status', { publishId: 'v_pub_file~v2-1.000000000000000001' });
		expect(items[0].code).toBe('invalid_publish_id');
		expect(items[0].log_id).toMatch(/\w{10,}/);
		expect(typeof items[0].hint).toBe('string');
	}, 60_000);

	it('cancels a URL post TikTok is still downloading', async () => {
		const url = stack.emulator.mediaUrl(`video-5000000.mp4?delayMs=20000`);
		const posted = await stack.run('node-video-url-draft', { url });
		const publishId = posted.items[0].publish_id;
		const { items } = await stack.run('node-cancel', { publishId });
		expect(items[0]).toEqual({ publish_id: publishId, cancelled: true });
		const status = await stack.run('node-get-status', { publishId });
		expect(status.items[0]).toMatchObject({ status: 'FAILED', fail_reason: 'publish_cancelled' });
	}, 120_000);

	it('reports an unaudited app posting publicly with TikTok\'s code and an audit hint', async () => {
		await stack.reset({ audited: false });
		const { items } = await stack.run('node-photo-direct-post', { photos: [photo(9)], privacy: 'PUBLIC_TO_EVERYONE' });
		expect(items[0].code).toBe('unaudited_client_can_only_post_to_private_accounts');
		expect(items[0].hint).toMatch(/audit/i);
		expect(items[0].log_id).toBeTruthy();
	}, 60_000);

	it('reports a URL on an unverified domain with TikTok\'s code and a verification hint', async () => {
		const { items } = await stack.run('node-photo-media-upload', { photos: [`https://unverified.example.com/elsewhere/photo.jpg`] });
		expect(items[0].code).toBe('url_ownership_unverified');
		expect(items[0].hint).toMatch(/verif/i);
	}, 60_000);

	it('treats an error TikTok sends with HTTP 200 as an error (daily post cap)', async () => {
		await stack.reset({ errorStatus: 200, dailyPostCap: 0 });
		const { items } = await stack.run('node-photo-direct-post', { photos: [photo(10)], privacy: 'SELF_ONLY' });
		expect(items[0]).toMatchObject({ code: 'spam_risk_too_many_posts', httpStatus: 200 });
	}, 60_000);
});
