import type { IDataObject } from 'n8n-workflow';

import { describeFailReason } from '../../shared/errorMap';
import { postIdsToStrings, tiktokPostUrl } from '../../shared/postUrls';
import type { TikTokCredentialType } from '../../transport/credentials';
import { tiktokApiRequest, type TikTokContext } from '../../transport/request';
import { TikTokNodeError } from '../../transport/tiktokError';
import { cancelSignalOf, ExecutionStoppedError, pause } from '../../transport/waiting';
import { settle } from '../../shared/settle';

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
		// TikTok settled it: this post will never be published, so posting the item again is safe.
		postMayExist: false,
		...(typeof data.downloaded_bytes === 'number' ? { downloadedBytes: data.downloaded_bytes } : {}),
	});
}

const CHECK_LATER_HINT =
	'The post was created: check it with the Get Status operation and this publish_id before running this item again (running it again would post a second copy).';

/**
 * Runs the steps after a post was created. Whatever fails there must name the post and point to
 * Get Status, never to a re-run that would post it twice (unless TikTok will not publish it).
 */
export async function namingThePost<T>(ctx: TikTokContext, publishId: string, steps: () => Promise<T>): Promise<T> {
	const outcome = await settle(steps);
	if (outcome.ok) return outcome.value;
	const { error } = outcome;
	if (!(error instanceof TikTokNodeError)) throw error;
	const failure = { ...error.tiktok, publishId: error.tiktok.publishId ?? publishId };
	// A hint such as "retry in a few minutes" would post a second copy here: the post exists.
	if (failure.postMayExist !== false && !failure.hint.includes('Get Status')) failure.hint = CHECK_LATER_HINT;
	throw new TikTokNodeError(ctx.getNode(), failure);
}

/**
 * Polls status/fetch until TikTok reports a final state or the timeout passes. Returns the last
 * status; FAILED and the timeout throw, both naming the publish_id so the user can check later.
 * A status call TikTok fails (5xx, no answer) is not the post failing: polling goes on until the
 * timeout. Polls share TikTok's 30 calls a minute with everything else using the credential
 * (transport/rateBudget.ts); stopping the execution ends the wait at once.
 */
export async function waitForFinalStatus(
	this: TikTokContext,
	credentialType: TikTokCredentialType,
	publishId: string,
	options: WaitOptions,
): Promise<IDataObject> {
	const intervalMs = Math.max(options.pollIntervalSeconds, MIN_POLL_INTERVAL_SECONDS) * 1000;
	const deadline = Date.now() + Math.max(options.timeoutSeconds, 0) * 1000;
	const signal = cancelSignalOf(this);
	let last: IDataObject | undefined;
	let lastFailure: TikTokNodeError | undefined;
	for (;;) {
		const fetched = await settle(async () => await fetchPublishStatus.call(this, credentialType, publishId));
		if (fetched.ok) {
			last = fetched.value;
			lastFailure = undefined;
		} else if (fetched.error instanceof TikTokNodeError && isPassingFailure(fetched.error)) {
			lastFailure = fetched.error;
		} else {
			throw fetched.error;
		}
		if (last?.status === 'FAILED') throw failedPublishError(this, publishId, last);
		const remaining = deadline - Date.now();
		if (last && !lastFailure && FINAL_STATUSES.includes(String(last.status))) {
			const awaitingId = options.awaitPublicPostId === true && last.status === 'PUBLISH_COMPLETE' && !hasPostIds(last);
			if (!awaitingId || remaining <= 0) return last;
		} else if (remaining <= 0) {
			if (lastFailure) throw lastFailure;
			throw new TikTokNodeError(this.getNode(), {
				code: 'wait_timeout',
				message: `TikTok is still processing the post (status ${String(last?.status)})`,
				hint: 'The post was sent and may still appear. Use the "Get Status" operation with this publish_id later, or raise the timeout under Wait for Completion.',
				publishId,
			});
		}
		const paused = await settle(async () => await pause(Math.min(intervalMs, Math.max(remaining, 0)), signal));
		if (!paused.ok) {
			if (!(paused.error instanceof ExecutionStoppedError)) throw paused.error;
			if (last && FINAL_STATUSES.includes(String(last.status))) return last;
			throw new TikTokNodeError(this.getNode(), {
				code: 'execution_stopped',
				message: `The execution was stopped while waiting for TikTok (status ${String(last?.status ?? 'unknown')})`,
				hint: 'TikTok has the post and keeps processing it, so it may still be published. Use the "Get Status" operation with this publish_id later.',
				publishId,
			});
		}
	}
}

/** Failures of a status call that say nothing about the post: TikTok's server or the network. */
function isPassingFailure(error: TikTokNodeError): boolean {
	const { code, httpStatus } = error.tiktok;
	return code === 'network_error' || (httpStatus !== undefined && httpStatus >= 500);
}
