import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { describeFailReason } from '../shared/errorMap';
import { postIdsToStrings, tiktokPostUrl } from '../shared/postUrls';
import type { TikTokCredentialType } from '../transport/credentials';
import { tiktokApiRequest, type TikTokContext } from '../transport/request';
import { TikTokNodeError } from '../transport/tiktokError';

export const STATUS_PATH = '/v2/post/publish/status/fetch/';
export const FINAL_STATUSES = ['PUBLISH_COMPLETE', 'SEND_TO_USER_INBOX', 'FAILED'];

export interface WaitOptions {
	timeoutSeconds: number;
	pollIntervalSeconds: number;
	/**
	 * Public posts get their post id only after moderation (usually under a minute): keep polling
	 * past PUBLISH_COMPLETE for it, but never fail over it when the timeout comes first.
	 */
	awaitPublicPostId?: boolean;
}

/** TikTok allows 30 status calls a minute per token: polling faster than every 2 s can't help. */
export const MIN_POLL_INTERVAL_SECONDS = 2;

export async function fetchPublishStatus(
	this: TikTokContext,
	credentialType: TikTokCredentialType,
	publishId: string,
): Promise<IDataObject> {
	return await tiktokApiRequest.call(this, credentialType, {
		path: STATUS_PATH,
		body: { publish_id: publishId },
	});
}

/**
 * Status as the node outputs it: TikTok's fields, post ids as exact strings (TikTok sends 19-digit
 * JSON numbers) and, when the post is public, its URL(s).
 */
export function shapePublishStatus(publishId: string, data: IDataObject, username?: string): IDataObject {
	const postIds = postIdsToStrings(data.publicaly_available_post_id);
	const shaped: IDataObject = {
		publish_id: publishId,
		status: data.status,
		...(data.fail_reason ? { fail_reason: data.fail_reason } : {}),
		uploaded_bytes: data.uploaded_bytes,
		downloaded_bytes: data.downloaded_bytes,
		post_ids: postIds,
		post_urls: postIds.map((id) => tiktokPostUrl(username, id)),
		publicaly_available_post_id: postIds,
	};
	if (data.status === 'FAILED') {
		const description = describeFailReason(String(data.fail_reason ?? 'unknown'));
		shaped.fail_message = description.message;
		shaped.hint = description.hint;
	}
	for (const key of Object.keys(shaped)) if (shaped[key] === undefined) delete shaped[key];
	return shaped;
}

function hasPostIds(data: IDataObject): boolean {
	return Array.isArray(data.publicaly_available_post_id) && data.publicaly_available_post_id.length > 0;
}

export function failedPublishError(context: TikTokContext, publishId: string, data: IDataObject): TikTokNodeError {
	const reason = typeof data.fail_reason === 'string' && data.fail_reason ? data.fail_reason : 'unknown';
	const description = describeFailReason(reason);
	return new TikTokNodeError(context.getNode(), {
		code: reason,
		message: `TikTok could not publish the post: ${description.message}`,
		hint: description.hint,
		publishId,
	});
}

/**
 * Polls status/fetch until TikTok reports a final state or the timeout passes. Returns the last
 * status; FAILED and the timeout throw, both naming the publish_id so the user can check later.
 */
export async function waitForFinalStatus(
	this: TikTokContext,
	credentialType: TikTokCredentialType,
	publishId: string,
	options: WaitOptions,
): Promise<IDataObject> {
	const intervalMs = Math.max(options.pollIntervalSeconds, MIN_POLL_INTERVAL_SECONDS) * 1000;
	const deadline = Date.now() + Math.max(options.timeoutSeconds, 0) * 1000;
	const signal = 'getExecutionCancelSignal' in this ? this.getExecutionCancelSignal() : undefined;
	for (;;) {
		const data = await fetchPublishStatus.call(this, credentialType, publishId);
		if (data.status === 'FAILED') throw failedPublishError(this, publishId, data);
		const remaining = deadline - Date.now();
		if (FINAL_STATUSES.includes(String(data.status))) {
			const awaitingId = options.awaitPublicPostId === true && data.status === 'PUBLISH_COMPLETE' && !hasPostIds(data);
			if (!awaitingId || remaining <= 0 || signal?.aborted) return data;
			await sleep(Math.min(intervalMs, remaining));
			continue;
		}
		if (remaining <= 0 || signal?.aborted) {
			throw new TikTokNodeError(this.getNode(), {
				code: 'wait_timeout',
				message: `TikTok is still processing the post (status ${String(data.status)})`,
				hint: 'The post was sent and may still appear. Use the "Get Status" operation with this publish_id later, or raise the timeout under Wait for Completion.',
				publishId,
			});
		}
		await sleep(Math.min(intervalMs, remaining));
	}
}
