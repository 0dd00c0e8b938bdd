/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
// Webhook deliveries like TikTok's (reference §14): when a post's status changes (or an
// authorization ends) the emulator POSTs a signed envelope to the app's callback URL
// (`webhook.url`), retries non-2xx answers with a doubling backoff, can send extra copies, and
// records every attempt for GET /__emulator/state. Status is computed lazily from the clock
// (posts.ts), so a small timer looks at the posts and emits what became true since it last looked.
import { createHmac } from 'crypto';
import type { Emulator } from './emulator';
import { stringifyJson } from './json';
import { statusOf, type Post } from './posts';

export const SIGNATURE_HEADER = 'TikTok-Signature';
/** How often the scheduler looks for status changes (real time). */
const TICK_MS = 50;
/** An answer slower than this counts as none (TikTok wants 200 at once). */
const DELIVERY_TIMEOUT_MS = 10_000;

export type WebhookEvent =
	| 'post.publish.complete'
	| 'post.publish.failed'
	| 'post.publish.inbox_delivered'
	| 'post.publish.publicly_available'
	| 'post.publish.no_longer_publicaly_available'
	| 'authorization.removed';

export interface WebhookDeliveryRecord {
	/** One per copy of an event (or per control-API send); its retries share it. */
	id: number;
	event: string | null;
	publish_id: string | null;
	attempt: number;
	/** The HTTP status of the answer, or 'error' (no answer: refused, reset, timed out). */
	status: number | 'error';
	/** When the attempt was answered (wall clock). */
	at: string;
	url: string;
	/** The exact body sent (envelope with `content` as a JSON string). */
	body: string;
	/** The TikTok-Signature header sent, or null when none was. */
	signature: string | null;
	/** Control-API sends and replays say so. */
	source: 'event' | 'send' | 'replay';
}

interface Outgoing {
	id: number;
	event: string | null;
	publishId: string | null;
	body: string;
	source: WebhookDeliveryRecord['source'];
}

/** DIRECT_POST is a guess of [SIM] (TikTok documents only INBOX_SHARE); see README. */
function publishType(post: Post): string {
	return post.flow === 'inbox' ? 'INBOX_SHARE' : 'DIRECT_POST';
}

/** The events a post has reached by `now`, in the order TikTok would send them. */
export function eventsReached(
	post: Post,
	now: number,
	unpublished: boolean,
): Array<{ event: WebhookEvent; content: Record<string, unknown> }> {
	const view = statusOf(post, now);
	const base = { publish_id: post.publishId, publish_type: publishType(post) };
	if (view.status === 'FAILED') {
		return [
			{
				event: 'post.publish.failed',
				content: {
					publish_id: post.publishId,
					reason: view.fail_reason,
					publish_type: base.publish_type,
				},
			},
		];
	}
	const reached: Array<{ event: WebhookEvent; content: Record<string, unknown> }> = [];
	if (post.flow === 'inbox') {
		if (view.status === 'SEND_TO_USER_INBOX' || view.status === 'PUBLISH_COMPLETE') {
			reached.push({ event: 'post.publish.inbox_delivered', content: base });
		}
		if (view.status === 'PUBLISH_COMPLETE')
			reached.push({ event: 'post.publish.complete', content: base });
		return reached;
	}
	if (view.status !== 'PUBLISH_COMPLETE') return reached;
	reached.push({ event: 'post.publish.complete', content: base });
	const [postId] = view.publicaly_available_post_id;
	if (postId !== undefined) {
		// A bigint: written into the content string as a bare 19-digit number, as TikTok does.
		const withId = { publish_id: post.publishId, post_id: postId, publish_type: base.publish_type };
		reached.push({ event: 'post.publish.publicly_available', content: withId });
		if (unpublished)
			reached.push({ event: 'post.publish.no_longer_publicaly_available', content: withId });
	}
	return reached;
}

export class WebhookDispatcher {
	private readonly deliveries: WebhookDeliveryRecord[] = [];
	/** Events already emitted (or dropped because no URL was set), per publish_id. */
	private readonly emitted = new Map<string, Set<string>>();
	private readonly unpublished = new Set<string>();
	private lastId = 0;
	/** Bumped by reset(): deliveries still retrying for an earlier epoch stop. */
	private epoch = 0;
	private ticker: NodeJS.Timeout | undefined;
	private stopped = false;

	constructor(private readonly emulator: Emulator) {}

	start(): void {
		this.ticker ??= setInterval(() => this.tick(), TICK_MS);
		this.ticker.unref();
	}

	stop(): void {
		this.stopped = true;
		if (this.ticker) clearInterval(this.ticker);
		this.ticker = undefined;
	}

	reset(): void {
		this.epoch++;
		this.deliveries.length = 0;
		this.emitted.clear();
		this.unpublished.clear();
	}

	/** The creator made a public post private (control API): TikTok's no_longer_publicaly_available. */
	unpublish(post: Post): void {
		this.unpublished.add(post.publishId);
		this.tick();
	}

	isUnpublished(publishId: string): boolean {
		return this.unpublished.has(publishId);
	}

	/** Emits what each post reached since the last look. Runs on the timer and after control calls. */
	tick(): void {
		const now = this.emulator.clock.now();
		for (const post of this.emulator.posts.all()) {
			const seen = this.emitted.get(post.publishId) ?? new Set<string>();
			this.emitted.set(post.publishId, seen);
			for (const { event, content } of eventsReached(
				post,
				now,
				this.unpublished.has(post.publishId),
			)) {
				if (seen.has(event)) continue;
				seen.add(event);
				this.emit(event, post.openId, content, post.publishId);
			}
		}
	}

	/** Sends an event to the callback URL (if one is set), in 1 + duplicateDeliveries copies. */
	emit(
		event: WebhookEvent,
		openId: string,
		content: Record<string, unknown>,
		publishId: string | null,
	): void {
		const { config, clock } = this.emulator;
		if (!config.webhook.url) return;
		const body = stringifyJson({
			client_key: config.app.clientKey,
			event,
			create_time: Math.floor(clock.now() / 1000),
			user_openid: openId,
			content: stringifyJson(content),
		});
		for (let copy = 0; copy <= config.webhook.duplicateDeliveries; copy++) {
			const outgoing = { id: ++this.lastId, event, publishId, body, source: 'event' as const };
			void this.deliverWithRetries(outgoing);
		}
	}

	/** The signature header TikTok would send now (or a wrong one under badSignature). */
	sign(body: string, options: { timestamp?: number; valid?: boolean } = {}): string {
		const { app, webhook } = this.emulator.config;
		const timestamp = options.timestamp ?? Math.floor(Date.now() / 1000) + webhook.timestampSkewSec;
		const valid = options.valid ?? !webhook.badSignature;
		const key = valid ? app.clientSecret : `not-${app.clientSecret}`;
		const signature = createHmac('sha256', key).update(`${timestamp}.${body}`).digest('hex');
		return `t=${timestamp},s=${signature}`;
	}

	/** One delivery outside the event flow (control API): any body, any or no signature, no retries. */
	async sendOnce(input: {
		body: string;
		signature: string | null;
		url: string;
		contentType: string;
		source: 'send' | 'replay';
	}): Promise<{ record: WebhookDeliveryRecord; responseBody: string }> {
		const outgoing: Outgoing = {
			id: ++this.lastId,
			event: eventOf(input.body),
			publishId: null,
			body: input.body,
			source: input.source,
		};
		return await this.attempt(outgoing, 1, input.url, input.signature, input.contentType);
	}

	find(id: number): WebhookDeliveryRecord | undefined {
		return [...this.deliveries].reverse().find((record) => record.id === id);
	}

	list(): WebhookDeliveryRecord[] {
		return [...this.deliveries];
	}

	private async deliverWithRetries(outgoing: Outgoing): Promise<void> {
		const epoch = this.epoch;
		const { retries, retryDelayMs } = this.emulator.config.webhook;
		for (let attempt = 1; attempt <= retries + 1; attempt++) {
			// Each attempt goes to the URL set now and is signed now, as a fixed callback URL would be.
			const url = this.emulator.config.webhook.url;
			if (!url || this.stopped || epoch !== this.epoch) return;
			const { record } = await this.attempt(
				outgoing,
				attempt,
				url,
				this.sign(outgoing.body),
				'application/json',
			);
			if (typeof record.status === 'number' && record.status >= 200 && record.status < 300) return;
			if (attempt <= retries) await this.emulator.sleep(retryDelayMs * 2 ** (attempt - 1));
		}
	}

	private async attempt(
		outgoing: Outgoing,
		attempt: number,
		url: string,
		signature: string | null,
		contentType: string,
	): Promise<{ record: WebhookDeliveryRecord; responseBody: string }> {
		let status: number | 'error' = 'error';
		let responseBody = '';
		try {
			const response = await fetch(url, {
				method: 'POST',
				headers: {
					'content-type': contentType,
					...(signature === null ? {} : { [SIGNATURE_HEADER]: signature }),
				},
				body: outgoing.body,
				signal: AbortSignal.timeout(DELIVERY_TIMEOUT_MS),
			});
			status = response.status;
			responseBody = await response.text();
		} catch (error) {
			responseBody = (error as Error).message;
		}
		const record: WebhookDeliveryRecord = {
			id: outgoing.id,
			event: outgoing.event,
			publish_id: outgoing.publishId,
			attempt,
			status,
			at: new Date().toISOString(),
			url,
			body: outgoing.body,
			signature,
			source: outgoing.source,
		};
		this.deliveries.push(record);
		const overflow = this.deliveries.length - this.emulator.config.requestLogLimit;
		if (overflow > 0) this.deliveries.splice(0, overflow);
		return { record, responseBody };
	}
}

function eventOf(body: string): string | null {
	try {
		const parsed: unknown = JSON.parse(body);
		const event = (parsed as { event?: unknown } | null)?.event;
		return typeof event === 'string' ? event : null;
	} catch {
		return null;
	}
}
