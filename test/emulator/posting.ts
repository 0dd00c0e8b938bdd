// Content Posting endpoints: creator info and the three init endpoints (reference §3–§6).
import { authenticate, authorize, requireScope, withinRateLimit } from './auth';
import { readJsonBody } from './body';
import { sendApiError, sendData, type RequestContext } from './http';
import { GUIDELINES_MESSAGE, passesPolicy } from './policy';
import {
	newPublishId,
	newUploadIdentity,
	type Flow,
	type Post,
	type PostEndpoint,
	type Source,
} from './posts';
import { startPull } from './pull';
import { createHash } from 'crypto';
import { photoBodyError, videoPostInfoError, videoSourceInfoError, isObject } from './validation';

export async function creatorInfo(ctx: RequestContext): Promise<void> {
	const token = authorize(ctx, ['video.publish'], 'creatorInfo');
	if (!token || !(await readJsonBody(ctx))) return;
	const { config, posts, clock } = ctx.emulator;
	// A creator who cannot post right now is told so with HTTP 200 "intentional" errors (§3).
	if (config.bannedFromPosting) {
		return sendApiError(ctx, 200, 'spam_risk_user_banned_from_posting', GUIDELINES_MESSAGE);
	}
	if (config.activeUserCapReached) {
		return sendApiError(ctx, 200, 'reached_active_user_cap', GUIDELINES_MESSAGE);
	}
	if (posts.directPostsInLastDay(token.grant.openId, clock.now()) >= config.dailyPostCap) {
		return sendApiError(ctx, 200, 'spam_risk_too_many_posts', GUIDELINES_MESSAGE);
	}
	const creator = config.creator;
	sendData(ctx, {
		creator_avatar_url: creator.avatarUrl,
		creator_username: creator.username,
		creator_nickname: creator.nickname,
		privacy_level_options: creator.privacyLevelOptions,
		comment_disabled: creator.commentDisabled,
		duet_disabled: creator.duetDisabled || creator.privateAccount,
		stitch_disabled: creator.stitchDisabled || creator.privateAccount,
		max_video_post_duration_sec: creator.maxVideoPostDurationSec,
	});
}

export async function videoInit(ctx: RequestContext, flow: Flow): Promise<void> {
	const scope = flow === 'direct' ? 'video.publish' : 'video.upload';
	const token = authorize(ctx, [scope], flow === 'direct' ? 'videoInit' : 'inboxInit');
	if (!token) return;
	const body = await readJsonBody(ctx);
	if (!body) return;
	const { megabyte } = ctx.emulator.config;
	// The inbox init documents no post_info (§5): whatever is sent there is ignored.
	const error =
		(flow === 'direct' ? videoPostInfoError(body.post_info) : null) ??
		videoSourceInfoError(body.source_info, megabyte);
	if (error) return sendApiError(ctx, 400, 'invalid_params', error);
	const postInfo = isObject(body.post_info) ? body.post_info : {};
	const sourceInfo = body.source_info as Record<string, unknown>;
	const source = sourceInfo.source as Source;
	const urls = source === 'PULL_FROM_URL' ? [sourceInfo.video_url as string] : [];
	const openId = token.grant.openId;
	if (!passesPolicy(ctx, { openId, flow, privacyLevel: postInfo.privacy_level, urls })) return;
	const post = createPost(ctx, {
		endpoint: flow === 'direct' ? 'video/init' : 'inbox/video/init',
		flow,
		kind: 'video',
		source,
		openId,
		postInfo: body.post_info,
		sourceInfo,
		privacyLevel: flow === 'direct' ? (postInfo.privacy_level as string) : null,
	});
	if (source === 'PULL_FROM_URL') {
		startPull(ctx.emulator, post, urls, 'video_pull_failed');
		return sendData(ctx, { publish_id: post.publishId });
	}
	const upload = post.upload!;
	const uploadUrl = `${ctx.emulator.baseUrl}/video/?upload_id=${upload.id}&upload_token=${upload.token}`;
	sendData(ctx, { publish_id: post.publishId, upload_url: uploadUrl });
}

export async function contentInit(ctx: RequestContext): Promise<void> {
	const token = authenticate(ctx);
	if (!token) return;
	const body = await readJsonBody(ctx);
	if (!body) return;
	// The scope depends on post_mode (§6), so the body is read first.
	const flow: Flow = body.post_mode === 'MEDIA_UPLOAD' ? 'inbox' : 'direct';
	if (body.post_mode === 'DIRECT_POST' || body.post_mode === 'MEDIA_UPLOAD') {
		if (!requireScope(ctx, token, [flow === 'direct' ? 'video.publish' : 'video.upload'])) return;
	}
	if (!withinRateLimit(ctx, token, 'contentInit')) return;
	const error = photoBodyError(body);
	if (error) return sendApiError(ctx, 400, 'invalid_params', error);
	const postInfo = body.post_info as Record<string, unknown>;
	const sourceInfo = body.source_info as Record<string, unknown>;
	const urls = sourceInfo.photo_images as string[];
	const openId = token.grant.openId;
	if (!passesPolicy(ctx, { openId, flow, privacyLevel: postInfo.privacy_level, urls })) return;
	const post = createPost(ctx, {
		endpoint: 'content/init',
		flow,
		kind: 'photo',
		source: 'PULL_FROM_URL',
		openId,
		postInfo,
		sourceInfo,
		privacyLevel: flow === 'direct' ? (postInfo.privacy_level as string) : null,
	});
	startPull(ctx.emulator, post, urls, 'photo_pull_failed');
	sendData(ctx, { publish_id: post.publishId });
}

type PostDetails = Pick<
	Post,
	'endpoint' | 'flow' | 'kind' | 'source' | 'openId' | 'postInfo' | 'sourceInfo' | 'privacyLevel'
>;

function createPost(ctx: RequestContext, details: PostDetails): Post {
	const { emulator } = ctx;
	const now = emulator.clock.now();
	const post: Post = {
		...details,
		endpoint: details.endpoint as PostEndpoint,
		publishId: newPublishId(details.kind, details.flow, details.source),
		createdAt: now,
		timings: { ...emulator.config.timings },
		plannedFailReason: emulator.takeFailReason(),
		immediateFailure: null,
		mediaReadyAt: null,
		userPublishedAt: null,
		postIds: [],
	};
	if (details.source === 'FILE_UPLOAD') {
		const sourceInfo = details.sourceInfo as Record<string, number>;
		post.upload = {
			...newUploadIdentity(),
			videoSize: sourceInfo.video_size,
			chunkSize: sourceInfo.chunk_size,
			totalChunkCount: sourceInfo.total_chunk_count,
			received: 0,
			hash: createHash('sha256'),
			expiresAt: now + emulator.config.uploadUrlLifetimeSec * 1000,
			inFlight: false,
			chunks: [],
			sha256: null,
		};
	}
	emulator.posts.add(post);
	return post;
}
