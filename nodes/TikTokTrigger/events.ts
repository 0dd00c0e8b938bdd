import type { IDataObject, INodePropertyOptions } from 'n8n-workflow';

import { describeFailReason } from '../TikTok/shared/errorMap';
import { parseJsonLossless } from '../TikTok/shared/losslessJson';
import { postIdsToStrings, tiktokPostUrl } from '../TikTok/shared/postUrls';

// TikTok's spelling: "publicly" in one event name, "publicaly" in the other.
export const TIKTOK_EVENTS: INodePropertyOptions[] = [
	{
		name: 'Authorization Removed',
		value: 'authorization.removed',
		description: "A creator's authorization of the app ended (the access token is already revoked)",
	},
	{
		name: 'Post Failed',
		value: 'post.publish.failed',
		description: 'TikTok could not publish a post; the reason says why',
	},
	{
		name: 'Post Inbox Delivered',
		value: 'post.publish.inbox_delivered',
		description: "A draft reached the creator's TikTok inbox",
	},
	{
		name: 'Post No Longer Publicly Available',
		value: 'post.publish.no_longer_publicaly_available',
		description: 'A public post stopped being public',
	},
	{
		name: 'Post Publicly Available',
		value: 'post.publish.publicly_available',
		description: 'A post became public after moderation; carries its post ID',
	},
	{
		name: 'Post Published',
		value: 'post.publish.complete',
		description: 'A direct post was published, or the creator posted a draft',
	},
];

export const ALL_EVENTS = TIKTOK_EVENTS.map((option) => String(option.value));

/** TikTok's envelope; `content` is a JSON document serialized into a string. */
export interface WebhookEnvelope {
	client_key: string;
	event: string;
	create_time: number;
	user_openid: string;
	content: string;
}

export type EnvelopeResult =
	| { ok: true; envelope: WebhookEnvelope; content: IDataObject }
	| { ok: false; problem: string };

const AUTHORIZATION_REMOVED_REASONS: Record<number, string> = {
	0: 'Unknown reason',
	1: 'The user disconnected the app',
	2: "The user's account was deleted",
	3: "The user's age changed",
	4: "The user's account was banned",
	5: 'The developer revoked the authorization',
};

const isObject = (value: unknown): value is IDataObject =>
	typeof value === 'object' && value !== null && !Array.isArray(value);

const nonEmptyString = (value: unknown): value is string => typeof value === 'string' && value !== '';

function parseObject(text: string): IDataObject | undefined {
	let value: unknown;
	try {
		// Lossless: TikTok writes post ids as bare 19-digit numbers.
		value = parseJsonLossless(text);
	} catch {
		// The parser throws only SyntaxError: not JSON.
		return undefined;
	}
	return isObject(value) ? value : undefined;
}

/** A non-negative JSON integer (a digit string when the lossless parser kept it exact). */
function wholeNumber(value: unknown): number | undefined {
	const number = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
	return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

/** The documented envelope, or what is wrong with the body. Unknown extra keys are tolerated. */
export function parseEnvelope(rawBody: string): EnvelopeResult {
	const body = parseObject(rawBody);
	if (!body) return { ok: false, problem: 'The body is not a JSON object' };
	const createTime = wholeNumber(body.create_time);
	if (!nonEmptyString(body.client_key)) return { ok: false, problem: 'client_key is missing' };
	if (!nonEmptyString(body.event)) return { ok: false, problem: 'event is missing' };
	if (createTime === undefined) return { ok: false, problem: 'create_time is not a Unix time in seconds' };
	if (!nonEmptyString(body.user_openid)) return { ok: false, problem: 'user_openid is missing' };
	if (typeof body.content !== 'string') return { ok: false, problem: 'content is not a string' };
	const content = parseObject(body.content);
	if (!content) return { ok: false, problem: 'content is not a serialized JSON object' };
	const postId = content.post_id;
	if (postId !== undefined && postId !== null && !isPostId(postId)) {
		return { ok: false, problem: 'content.post_id is not a post id' };
	}
	const envelope: WebhookEnvelope = {
		client_key: body.client_key,
		event: body.event,
		create_time: createTime,
		user_openid: body.user_openid,
		content: body.content,
	};
	return { ok: true, envelope, content };
}

function isPostId(value: unknown): boolean {
	try {
		postIdsToStrings(value);
		return true;
	} catch {
		// TypeError (not digits) or RangeError (a number already rounded): not a post id.
		return false;
	}
}

function optionalString(value: unknown): string | null {
	return typeof value === 'string' || typeof value === 'number' ? String(value) : null;
}

/**
 * The item a workflow gets: the envelope plus the content's fields, named as the TikTok node names
 * them (publish_id, post_ids, post_urls, fail_reason/fail_message/hint), post ids as exact strings.
 */
export function eventItem(envelope: WebhookEnvelope, content: IDataObject): IDataObject {
	const item: IDataObject = {
		event: envelope.event,
		create_time: new Date(envelope.create_time * 1000).toISOString(),
		create_time_unix: envelope.create_time,
		user_openid: envelope.user_openid,
		client_key: envelope.client_key,
	};
	if (envelope.event === 'authorization.removed') {
		const reason = wholeNumber(content.reason) ?? null;
		item.reason = reason;
		item.reason_message =
			reason !== null && reason in AUTHORIZATION_REMOVED_REASONS
				? AUTHORIZATION_REMOVED_REASONS[reason]
				: AUTHORIZATION_REMOVED_REASONS[0];
	} else {
		const postIds =
			content.post_id === undefined || content.post_id === null ? [] : postIdsToStrings(content.post_id);
		item.publish_id = optionalString(content.publish_id);
		item.publish_type = optionalString(content.publish_type);
		item.post_id = postIds[0] ?? null;
		item.post_ids = postIds;
		item.post_url = postIds.length ? tiktokPostUrl(undefined, postIds[0]) : null;
		item.post_urls = postIds.map((id) => tiktokPostUrl(undefined, id));
		if (envelope.event === 'post.publish.failed') {
			const reason = optionalString(content.reason) ?? 'unknown';
			const description = describeFailReason(reason);
			item.reason = reason;
			item.fail_reason = reason;
			item.fail_message = description.message;
			item.hint = description.hint;
		}
	}
	item.content = content;
	return item;
}
