/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Webhook deliveries (reference §14): signed envelopes for status changes and ended
// authorizations, retries, duplicate copies, broken signatures, and the control API's sends.
import { createHmac } from 'crypto';
import http from 'http';
import type { AddressInfo } from 'net';
import { startEmulator } from './index';
import {
	api,
	configure,
	control,
	directVideoBody,
	issueToken,
	putChunk,
	state,
	useEmulator,
	waitFor,
	type Json,
} from './helpers';

const emulator = useEmulator();
const SECRET = 'emulator-client-secret';
const OPEN_ID = '-000emulatorOpenIdCreator0001';

interface Received {
	at: number;
	headers: http.IncomingHttpHeaders;
	body: string;
}

/** A callback URL that records what arrives and answers with the next scripted status (then 200). */
class Receiver {
	readonly received: Received[] = [];
	statuses: number[] = [];
	private server = http.createServer((req, res) => {
		const parts: Buffer[] = [];
		req.on('data', (part: Buffer) => parts.push(part));
		req.on('end', () => {
			this.received.push({
				at: Date.now(),
				headers: req.headers,
				body: Buffer.concat(parts).toString('utf8'),
			});
			res.writeHead(this.statuses.shift() ?? 200, { 'content-type': 'application/json' });
			res.end('{"ok":true}');
		});
	});

	url = '';

	async start(): Promise<void> {
		await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/callback`;
	}

	async stop(): Promise<void> {
		this.server.closeAllConnections();
		await new Promise((resolve) => this.server.close(resolve));
	}

	events(): Array<{ envelope: Json; content: Json; raw: string; signature: string }> {
		return this.received.map((request) => {
			const envelope = JSON.parse(request.body);
			return {
				envelope,
				content: JSON.parse(envelope.content),
				raw: request.body,
				signature: String(request.headers['tiktok-signature']),
			};
		});
	}

	async waitForCount(count: number, timeoutMs = 10_000): Promise<void> {
		await waitFor(async () => (this.received.length >= count ? true : undefined), timeoutMs);
	}
}

function verifies(signature: string, body: string, secret = SECRET): boolean {
	const match = /^t=(\d+),s=([0-9a-f]{64})$/.exec(signature);
	if (!match) return false;
	return createHmac('sha256', secret).update(`${match[1]}.${body}`).digest('hex') === match[2];
}

const receiver = new Receiver();
let token: string;
beforeAll(() => receiver.start());
afterAll(() => receiver.stop());
beforeEach(async () => {
	receiver.received.length = 0;
	receiver.statuses = [];
	await configure(emulator, {
		timings: { processingMs: 100, moderationMs: 100 },
		webhook: { url: receiver.url, retryDelayMs: 100 },
	});
	token = await issueToken(emulator);
});

async function uploadedPost(path: string, privacy = 'PUBLIC_TO_EVERYONE'): Promise<string> {
	const body = path.includes('inbox')
		? { source_info: directVideoBody().source_info }
		: directVideoBody({ privacy_level: privacy });
	const init = await api(emulator, path, { token, body });
	expect(init.status).toBe(200);
	expect(
		(await putChunk(init.body.data.upload_url, Buffer.alloc(1000, 7), { first: 0, total: 1000 }))
			.status,
	).toBe(201);
	return init.body.data.publish_id as string;
}

const DIRECT = '/v2/post/publish/video/init/';
const INBOX = '/v2/post/publish/inbox/video/init/';

describe('webhook events', () => {
	it('delivers nothing while no callback URL is set', async () => {
		await configure(emulator, { webhook: { url: null } });
		await uploadedPost(DIRECT);
		await new Promise((resolve) => setTimeout(resolve, 600));
		expect(receiver.received).toHaveLength(0);
		expect((await state(emulator)).webhookDeliveries).toEqual([]);
	});

	it('signs a public direct post’s complete and publicly_available events, the post id a bare 19-digit number', async () => {
		const publishId = await uploadedPost(DIRECT);
		// Nobody asks for the status: the scheduler notices the transitions itself.
		await receiver.waitForCount(2);
		const [complete, available] = receiver.events();
		expect(complete.envelope).toEqual({
			client_key: 'emulator-client-key',
			event: 'post.publish.complete',
			create_time: expect.any(Number),
			user_openid: OPEN_ID,
			content: expect.any(String),
		});
		expect(Math.abs(complete.envelope.create_time - Date.now() / 1000)).toBeLessThan(5);
		expect(complete.content).toEqual({ publish_id: publishId, publish_type: 'DIRECT_POST' });
		expect(available.envelope.event).toBe('post.publish.publicly_available');
		const [stored] = (await state(emulator)).posts;
		const postId = stored.publicaly_available_post_id[0] as string;
		expect(postId).toMatch(/^\d{19}$/);
		expect(available.envelope.content).toBe(
			`{"publish_id":"${publishId}","post_id":${postId},"publish_type":"DIRECT_POST"}`,
		);
		for (const event of receiver.events()) expect(verifies(event.signature, event.raw)).toBe(true);
		expect(receiver.received[0].headers['content-type']).toBe('application/json');
		const deliveries = (await state(emulator)).webhookDeliveries;
		expect(deliveries.map((d: Json) => [d.event, d.publish_id, d.attempt, d.status])).toEqual([
			['post.publish.complete', publishId, 1, 200],
			['post.publish.publicly_available', publishId, 1, 200],
		]);
	});

	it('sends complete only (no publicly_available) for a post that is not public', async () => {
		await uploadedPost(DIRECT, 'SELF_ONLY');
		await receiver.waitForCount(1);
		await new Promise((resolve) => setTimeout(resolve, 500));
		expect(receiver.events().map((e) => e.envelope.event)).toEqual(['post.publish.complete']);
	});

	it('sends post.publish.failed with TikTok’s fail_reason as `reason`', async () => {
		await configure(emulator, { nextFailReason: 'file_format_check_failed' });
		const publishId = await uploadedPost(DIRECT);
		await receiver.waitForCount(1);
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect(receiver.events().map((e) => [e.envelope.event, e.content])).toEqual([
			[
				'post.publish.failed',
				{ publish_id: publishId, reason: 'file_format_check_failed', publish_type: 'DIRECT_POST' },
			],
		]);
	});

	it('sends inbox_delivered for a draft, then complete when the creator posts it', async () => {
		const publishId = await uploadedPost(INBOX);
		await receiver.waitForCount(1);
		expect(receiver.events()[0]).toMatchObject({
			envelope: { event: 'post.publish.inbox_delivered' },
			content: { publish_id: publishId, publish_type: 'INBOX_SHARE' },
		});
		await control(emulator, `drafts/${encodeURIComponent(publishId)}/publish`);
		await receiver.waitForCount(2);
		expect(receiver.events()[1]).toMatchObject({
			envelope: { event: 'post.publish.complete' },
			content: { publish_id: publishId, publish_type: 'INBOX_SHARE' },
		});
	});

	it('sends no_longer_publicaly_available (TikTok’s spelling) when a public post is made private', async () => {
		const publishId = await uploadedPost(DIRECT);
		await receiver.waitForCount(2);
		const unpublished = await control(emulator, `posts/${encodeURIComponent(publishId)}/unpublish`);
		expect(unpublished.publish_id).toBe(publishId);
		await receiver.waitForCount(3);
		const [, available, gone] = receiver.events();
		expect(gone.envelope.event).toBe('post.publish.no_longer_publicaly_available');
		expect(gone.envelope.content).toBe(available.envelope.content);
		await expect(
			control(emulator, `posts/${encodeURIComponent(publishId)}/unpublish`),
		).rejects.toThrow(/already/);
		const privatePost = await uploadedPost(DIRECT, 'SELF_ONLY');
		await expect(
			control(emulator, `posts/${encodeURIComponent(privatePost)}/unpublish`),
		).rejects.toThrow(/publicly available/);
	});

	it('sends authorization.removed with reason 5 when the developer revokes a token, and with any reason from the control API', async () => {
		const pair = await control(emulator, 'tokens', {});
		const response = await fetch(`${emulator.url}/v2/oauth/revoke/`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				client_key: 'emulator-client-key',
				client_secret: SECRET,
				token: pair.access_token,
			}).toString(),
		});
		expect(response.status).toBe(200);
		await receiver.waitForCount(1);
		// Revoking the same grant again is no new event.
		await fetch(`${emulator.url}/v2/oauth/revoke/`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({
				client_key: 'emulator-client-key',
				client_secret: SECRET,
				token: pair.refresh_token,
			}).toString(),
		});
		const removed = await control(emulator, 'authorization/remove', { reason: 4 });
		expect(removed).toMatchObject({ open_id: OPEN_ID, reason: 4 });
		expect(removed.revokedGrants).toBeGreaterThanOrEqual(1);
		await receiver.waitForCount(2);
		expect(
			receiver.events().map((e) => [e.envelope.event, e.envelope.user_openid, e.content]),
		).toEqual([
			['authorization.removed', OPEN_ID, { reason: 5 }],
			['authorization.removed', OPEN_ID, { reason: 4 }],
		]);
		const grants = (await state(emulator)).grants as Json[];
		expect(grants.every((grant) => grant.revoked)).toBe(true);
		expect(grants.map((grant) => grant.revoked_reason)).toContain('authorization-removed');
		await expect(control(emulator, 'authorization/remove', { reason: 9 })).rejects.toThrow(
			/reason/,
		);
	});
});

describe('webhook delivery', () => {
	it('retries a non-2xx answer with a doubling backoff, the same body each time', async () => {
		receiver.statuses = [500, 404];
		await control(emulator, 'authorization/remove', { reason: 1 });
		await receiver.waitForCount(3);
		const [first, second, third] = receiver.received;
		expect(second.at - first.at).toBeGreaterThanOrEqual(90);
		expect(third.at - second.at).toBeGreaterThanOrEqual(190);
		expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
		const deliveries = (await state(emulator)).webhookDeliveries as Json[];
		expect(deliveries.map((d) => [d.id, d.attempt, d.status])).toEqual([
			[deliveries[0].id, 1, 500],
			[deliveries[0].id, 2, 404],
			[deliveries[0].id, 3, 200],
		]);
	});

	it('gives up after `retries` redeliveries, and treats no answer as a failure', async () => {
		await configure(emulator, { webhook: { retries: 1, url: 'http://127.0.0.1:1/closed' } });
		await control(emulator, 'authorization/remove', {});
		await waitFor(async () =>
			(await state(emulator)).webhookDeliveries.length >= 2 ? true : undefined,
		);
		await new Promise((resolve) => setTimeout(resolve, 400));
		const deliveries = (await state(emulator)).webhookDeliveries as Json[];
		expect(deliveries.map((d) => [d.attempt, d.status])).toEqual([
			[1, 'error'],
			[2, 'error'],
		]);
	});

	it('retries go to the callback URL set at the time (a fixed URL in the portal)', async () => {
		await configure(emulator, {
			webhook: { url: `${receiver.url.replace('/callback', '')}/wrong`, retryDelayMs: 300 },
		});
		receiver.statuses = [404];
		await control(emulator, 'authorization/remove', {});
		await receiver.waitForCount(1);
		await configure(emulator, { webhook: { url: receiver.url } });
		await receiver.waitForCount(2);
		const deliveries = (await state(emulator)).webhookDeliveries as Json[];
		expect(deliveries.map((d) => [d.attempt, d.status, new URL(d.url).pathname])).toEqual([
			[1, 404, '/wrong'],
			[2, 200, '/callback'],
		]);
	});

	it('sends duplicateDeliveries extra copies of every event, all alike', async () => {
		await configure(emulator, { webhook: { duplicateDeliveries: 2 } });
		await control(emulator, 'authorization/remove', {});
		await receiver.waitForCount(3);
		await new Promise((resolve) => setTimeout(resolve, 200));
		expect(receiver.received).toHaveLength(3);
		expect(new Set(receiver.received.map((r) => r.body)).size).toBe(1);
		const ids = ((await state(emulator)).webhookDeliveries as Json[]).map((d) => d.id);
		expect(new Set(ids).size).toBe(3);
	});

	it('signs with a wrong key under badSignature, and shifts the timestamp by timestampSkewSec', async () => {
		await configure(emulator, { webhook: { badSignature: true, timestampSkewSec: -600 } });
		await control(emulator, 'authorization/remove', {});
		await receiver.waitForCount(1);
		const [event] = receiver.events();
		expect(verifies(event.signature, event.raw)).toBe(false);
		expect(verifies(event.signature, event.raw, `not-${SECRET}`)).toBe(true);
		const t = Number(/t=(\d+)/.exec(event.signature)?.[1]);
		expect(Math.abs(Date.now() / 1000 - 600 - t)).toBeLessThan(5);
	});

	it('sends any body with a valid, invalid, missing or given signature, and replays a delivery byte for byte', async () => {
		const valid = await control(emulator, 'webhooks/send', {
			body: '{not json',
			timestamp: 1700000000,
		});
		expect(valid).toMatchObject({
			status: 200,
			source: 'send',
			event: null,
			responseBody: '{"ok":true}',
		});
		expect(receiver.received[0].body).toBe('{not json');
		expect(verifies(String(receiver.received[0].headers['tiktok-signature']), '{not json')).toBe(
			true,
		);
		expect(receiver.received[0].headers['tiktok-signature']).toMatch(/^t=1700000000,/);

		await control(emulator, 'webhooks/send', { body: { event: 'x' }, signature: 'invalid' });
		expect(
			verifies(String(receiver.received[1].headers['tiktok-signature']), '{"event":"x"}'),
		).toBe(false);
		await control(emulator, 'webhooks/send', {
			body: 'a',
			signature: 'none',
			contentType: 'text/plain',
		});
		expect(receiver.received[2].headers).not.toHaveProperty('tiktok-signature');
		expect(receiver.received[2].headers['content-type']).toBe('text/plain');
		await control(emulator, 'webhooks/send', { body: 'b', signature: 't=1,s=abc' });
		expect(receiver.received[3].headers['tiktok-signature']).toBe('t=1,s=abc');

		const replayed = await control(emulator, `webhooks/${valid.id}/replay`);
		expect(replayed.source).toBe('replay');
		expect(receiver.received[4].body).toBe(receiver.received[0].body);
		expect(receiver.received[4].headers['tiktok-signature']).toBe(
			receiver.received[0].headers['tiktok-signature'],
		);
		await expect(control(emulator, 'webhooks/999999/replay')).rejects.toThrow(
			/no webhook delivery/,
		);
	});

	it('refuses bad webhook settings', async () => {
		await expect(configure(emulator, { webhook: { url: 'ftp://x' } })).rejects.toThrow(
			/webhook.url/,
		);
		await expect(configure(emulator, { webhook: { retries: -1 } })).rejects.toThrow(/retries/);
		await expect(
			configure(emulator, { webhook: { badSignature: 'yes' as unknown as boolean } }),
		).rejects.toThrow(/badSignature/);
		await expect(configure(emulator, { webhook: { nope: 1 } as never })).rejects.toThrow(
			/unknown setting: webhook.nope/,
		);
		const defaults = (await control(emulator, 'reset').then(() => state(emulator))).config.webhook;
		expect(defaults).toEqual({
			url: null,
			retries: 3,
			retryDelayMs: 200,
			duplicateDeliveries: 0,
			badSignature: false,
			timestampSkewSec: 0,
		});
	});

	it('keeps the delivery log bounded like the request log', async () => {
		await configure(emulator, { requestLogLimit: 3 });
		for (let i = 0; i < 5; i++) await control(emulator, 'webhooks/send', { body: String(i) });
		expect(((await state(emulator)).webhookDeliveries as Json[]).map((d) => d.body)).toEqual([
			'2',
			'3',
			'4',
		]);
	});
});

it('stops its scheduler and retries on close()', async () => {
	const own = new Receiver();
	await own.start();
	const running = await startEmulator({
		port: 0,
		config: { timings: { processingMs: 300 }, webhook: { url: own.url } },
	});
	const { access_token: ownToken } = (await (
		await fetch(`${running.url}/__emulator/tokens`, { method: 'POST', body: '{}' })
	).json()) as Json;
	const init = await fetch(`${running.url}${DIRECT}`, {
		method: 'POST',
		headers: { authorization: `Bearer ${ownToken}`, 'content-type': 'application/json' },
		body: JSON.stringify(directVideoBody({ privacy_level: 'SELF_ONLY' })),
	}).then((r) => r.json() as Promise<Json>);
	await putChunk(init.data.upload_url, Buffer.alloc(1000, 7), { first: 0, total: 1000 });
	await running.close();
	await new Promise((resolve) => setTimeout(resolve, 600));
	expect(own.received).toHaveLength(0);
	await own.stop();
});
