/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// TikTok's undocumented behaviours are emulator settings; every operation must work under each.
// (The refresh-related settings, clientKeyIn and refreshRotation, are covered by the credential
// matrix suite.)
import { join } from 'path';
import { N8N_START_TIMEOUT_MS } from './harness';
import { writeFileOfSize, type GeneratedFile } from './files';
import { startNodeStack, type Json, type NodeStack } from './node-stack';

const MiB = 1024 * 1024;
const cells = [1000000, 1048576].flatMap((megabyte) =>
	(['documented', 200] as const).map((errorStatus) => ({ megabyte: megabyte as 1000000 | 1048576, errorStatus })),
);

describe('Operations under each unknown-behaviour setting (real n8n, emulator)', () => {
	let stack: NodeStack;
	let video: GeneratedFile;
	const photo = (n: number) => stack.emulator.mediaUrl(`photo-${n}.jpg`);

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-settings' });
		// 66 MiB: just over the single-chunk limit, the size range TikTok's 2026-08 regression hit.
		video = await writeFileOfSize(join(stack.n8n.filesDir, 'settings.mp4'), 66 * MiB + 1, 41);
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
	});

	it.each(cells)('megabyte=$megabyte errorStatus=$errorStatus', async (settings) => {
		await stack.reset(settings);
		const mark = await stack.mark();

		const creator = await stack.run('node-creator-info');
		expect(creator.items[0].creator_username).toBe('emulator.creator');

		for (const chunkSizeMb of [5, 61]) {
			const { items } = await stack.run('node-video-file-directPost', {
				files: [{ file: video.path }],
				privacy: 'SELF_ONLY',
				chunkSizeMb,
				wait: true,
			});
			expect(items[0]).toMatchObject({ status: 'PUBLISH_COMPLETE' });
		}
		const draft = await stack.run('node-photo-media-upload', { photos: [photo(1), photo(2)], wait: true });
		expect(draft.items[0]).toMatchObject({ status: 'SEND_TO_USER_INBOX' });
		const status = await stack.run('node-get-status', { publishId: draft.items[0].publish_id });
		expect(status.items[0]).toMatchObject({ status: 'SEND_TO_USER_INBOX' });

		const { posts } = await stack.since(mark);
		expect(posts).toHaveLength(3);
		expect(posts.slice(0, 2).map((p: Json) => p.sha256)).toEqual([video.sha256, video.sha256]);

		// A TikTok refusal is an error whatever HTTP status carries it.
		await stack.reset({ ...settings, pendingDraftCap: 0 });
		const refused = await stack.run('node-photo-media-upload', { photos: [photo(3)] });
		expect(refused.items[0]).toMatchObject({
			code: 'spam_risk_too_many_pending_share',
			httpStatus: settings.errorStatus === 200 ? 200 : 403,
		});
	}, 180_000);
});
