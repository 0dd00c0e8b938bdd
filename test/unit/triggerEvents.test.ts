import {
	ALL_EVENTS,
	eventItem,
	parseEnvelope,
	TIKTOK_EVENTS,
} from '../../nodes/TikTokTrigger/events';

const envelope = (content: string, overrides: Record<string, unknown> = {}) =>
	JSON.stringify({
		client_key: 'ck',
		event: 'post.publish.publicly_available',
		create_time: 1764000000,
		user_openid: 'open-1',
		content,
		...overrides,
	});

function parsedItem(text: string) {
	const parsed = parseEnvelope(text);
	if (!parsed.ok) throw new Error(parsed.problem);
	return eventItem(parsed.envelope, parsed.content);
}

describe('TikTok webhook events', () => {
	it('offers the six documented events, with TikTok spelling, all selected by default', () => {
		expect([...ALL_EVENTS].sort()).toEqual(
			[
				'authorization.removed',
				'post.publish.complete',
				'post.publish.failed',
				'post.publish.inbox_delivered',
				'post.publish.no_longer_publicaly_available',
				'post.publish.publicly_available',
			].sort(),
		);
		expect(TIKTOK_EVENTS.map((event) => event.name)).toEqual(
			[...TIKTOK_EVENTS.map((event) => event.name)].sort(),
		);
	});

	it('keeps a 19-digit post_id exact (a bare JSON number inside the content string)', () => {
		const text = envelope(
			'{"publish_id":"v_pub_url~v2.1","post_id":7345678901234567891,"publish_type":"DIRECT_POST"}',
		);
		const item = parsedItem(text);
		expect(item).toMatchObject({
			event: 'post.publish.publicly_available',
			create_time: '2025-11-24T16:00:00.000Z',
			create_time_unix: 1764000000,
			user_openid: 'open-1',
			client_key: 'ck',
			publish_id: 'v_pub_url~v2.1',
			publish_type: 'DIRECT_POST',
			post_id: '7345678901234567891',
			post_ids: ['7345678901234567891'],
			post_url: 'https://www.tiktok.com/@/video/7345678901234567891',
			post_urls: ['https://www.tiktok.com/@/video/7345678901234567891'],
		});
		// What plain JSON.parse would have made of it:
		expect(String(JSON.parse(JSON.parse(text).content).post_id)).not.toBe('7345678901234567891');
	});

	it('explains a failure with the TikTok node’s fail_message and hint', () => {
		const item = parsedItem(
			envelope(
				'{"publish_id":"p1","reason":"file_format_check_failed","publish_type":"DIRECT_POST"}',
				{
					event: 'post.publish.failed',
				},
			),
		);
		expect(item).toMatchObject({
			reason: 'file_format_check_failed',
			fail_reason: 'file_format_check_failed',
			post_ids: [],
			post_id: null,
		});
		expect(String(item.fail_message)).toMatch(/file_format_check_failed/);
		expect(String(item.hint).length).toBeGreaterThan(10);
	});

	it('gives authorization.removed its numeric reason and its meaning', () => {
		const meanings: Record<number, RegExp> = {
			0: /unknown/i,
			1: /disconnected/,
			2: /deleted/,
			3: /age/,
			4: /banned/,
			5: /developer revoked/i,
		};
		for (const [reason, meaning] of Object.entries(meanings)) {
			const item = parsedItem(envelope(`{"reason":${reason}}`, { event: 'authorization.removed' }));
			expect(item.reason).toBe(Number(reason));
			expect(item.reason_message).toMatch(meaning);
			expect(item).not.toHaveProperty('publish_id');
		}
	});

	it('refuses bodies that are not the documented envelope', () => {
		const problems: Array<[string, RegExp]> = [
			['not json', /not a JSON object/],
			['[1,2]', /not a JSON object/],
			[envelope('{}', { client_key: undefined }), /client_key/],
			[envelope('{}', { event: '' }), /event/],
			[envelope('{}', { create_time: '2025-01-01' }), /create_time/],
			[envelope('{}', { create_time: 1.5 }), /create_time/],
			[envelope('{}', { user_openid: 7 }), /user_openid/],
			[
				JSON.stringify({
					client_key: 'ck',
					event: 'e',
					create_time: 1,
					user_openid: 'u',
					content: { a: 1 },
				}),
				/content is not a string/,
			],
			[envelope('not json'), /content is not a serialized JSON object/],
			[envelope('{"post_id":"abc"}'), /post_id/],
			[envelope('{"post_id":1.5}'), /post_id/],
		];
		for (const [text, problem] of problems) {
			const parsed = parseEnvelope(text);
			expect(parsed.ok).toBe(false);
			if (!parsed.ok) expect(parsed.problem).toMatch(problem);
		}
	});

	it('tolerates unknown keys and events, and keeps the whole content', () => {
		const item = parsedItem(
			envelope('{"share_id":"s1","extra":true}', {
				event: 'video.publish.completed',
				future_key: 1,
			}),
		);
		expect(item.event).toBe('video.publish.completed');
		expect(item.content).toEqual({ share_id: 's1', extra: true });
	});
});
