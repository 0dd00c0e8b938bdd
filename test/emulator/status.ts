// POST /v2/post/publish/status/fetch/ and /v2/post/publish/cancel/ (reference §8, §9).
import { authorize } from './auth';
import { readJsonBody } from './body';
import { sendApiError, sendData, sendJson, type RequestContext } from './http';
import { statusOf, type Post } from './posts';
import type { AccessToken } from './tokens';

async function findOwnPost(ctx: RequestContext, token: AccessToken): Promise<Post | null> {
	const body = await readJsonBody(ctx);
	if (!body) return null;
	if (typeof body.publish_id !== 'string' || body.publish_id === '') {
		sendApiError(ctx, 400, 'invalid_params', 'publish_id is required');
		return null;
	}
	const post = ctx.emulator.posts.get(body.publish_id);
	if (!post) {
		sendApiError(ctx, 400, 'invalid_publish_id', 'The publish_id does not exist');
		return null;
	}
	if (post.openId !== token.grant.openId) {
		sendApiError(
			ctx,
			400,
			'token_not_authorized_for_specified_publish_id',
			'The access token is not authorized for this publish_id',
		);
		return null;
	}
	return post;
}

export async function fetchStatus(ctx: RequestContext): Promise<void> {
	const token = authorize(ctx, ['video.upload', 'video.publish'], 'status');
	if (!token) return;
	const post = await findOwnPost(ctx, token);
	if (post) sendData(ctx, statusOf(post, ctx.emulator.clock.now()));
}

export async function cancelPublish(ctx: RequestContext): Promise<void> {
	const token = authorize(ctx, ['video.upload', 'video.publish'], 'cancel');
	if (!token) return;
	const post = await findOwnPost(ctx, token);
	if (!post) return;
	// Only a PULL_FROM_URL download still in progress can be cancelled (§9).
	if (!post.pull || post.pull.finished || post.immediateFailure) {
		return sendApiError(
			ctx,
			400,
			'publish_not_cancellable',
			'The publish can no longer be cancelled',
		);
	}
	post.immediateFailure = 'publish_cancelled';
	post.pull.abort.abort();
	post.pull.finished = true;
	sendJson(ctx, 200, { error: { code: 'ok', message: '', log_id: ctx.logId } });
}
