// Control API under /__emulator/ (not part of TikTok's surface): reset, config, tokens, clock,
// faults, state, drafts, webhooks. Plain JSON in and out; errors as {error: "..."} with HTTP 400.
import { ALL_SCOPES, mergeConfig, type ConfigPatch } from './config';
import { validateFault } from './faults';
import { readSmallBody, sendJson, type RequestContext } from './http';
import { newPostId } from './ids';
import { parseJsonObject, stringifyJson } from './json';
import { statusOf, type Post } from './posts';

const ENDPOINT_PATHS: Record<Post['endpoint'], string> = {
	'video/init': '/v2/post/publish/video/init/',
	'inbox/video/init': '/v2/post/publish/inbox/video/init/',
	'content/init': '/v2/post/publish/content/init/',
};

async function readControlBody(ctx: RequestContext): Promise<Record<string, unknown>> {
	const text = await readSmallBody(ctx.req);
	if (text.trim() === '') return {};
	const body = parseJsonObject(text);
	if (!body) throw new Error('body must be a JSON object');
	return body;
}

export async function handleControl(ctx: RequestContext): Promise<void> {
	const route = `${ctx.req.method} ${ctx.url.pathname.replace(/\/$/, '')}`;
	try {
		const draft = /^POST \/__emulator\/drafts\/([^/]+)\/publish$/.exec(route);
		if (draft) return publishDraft(ctx, decodeURIComponent(draft[1]));
		const unpublish = /^POST \/__emulator\/posts\/([^/]+)\/unpublish$/.exec(route);
		if (unpublish) return unpublishPost(ctx, decodeURIComponent(unpublish[1]));
		const replay = /^POST \/__emulator\/webhooks\/(\d+)\/replay$/.exec(route);
		if (replay) return await replayDelivery(ctx, Number(replay[1]));
		switch (route) {
			case 'POST /__emulator/reset':
				ctx.emulator.reset();
				return sendJson(ctx, 200, { ok: true });
			case 'GET /__emulator/config':
				return sendJson(ctx, 200, ctx.emulator.config);
			case 'POST /__emulator/config':
				ctx.emulator.config = mergeConfig(
					ctx.emulator.config,
					(await readControlBody(ctx)) as ConfigPatch,
				);
				return sendJson(ctx, 200, ctx.emulator.config);
			case 'POST /__emulator/tokens':
				return issueTokens(ctx, await readControlBody(ctx));
			case 'GET /__emulator/clock':
				return sendClock(ctx);
			case 'POST /__emulator/clock':
				return advanceClock(ctx, await readControlBody(ctx));
			case 'GET /__emulator/faults':
				return sendJson(ctx, 200, { faults: ctx.emulator.faults.list() });
			case 'POST /__emulator/faults':
				return addFaults(ctx, await readControlBody(ctx));
			case 'DELETE /__emulator/faults':
				ctx.emulator.faults.clear();
				return sendJson(ctx, 200, { faults: [] });
			case 'GET /__emulator/state':
				return sendState(ctx);
			case 'POST /__emulator/authorization/remove':
				return removeAuthorization(ctx, await readControlBody(ctx));
			case 'POST /__emulator/webhooks/send':
				return await sendWebhook(ctx, await readControlBody(ctx));
			default:
				return sendJson(ctx, 404, { error: `unknown control route: ${route}` });
		}
	} catch (error) {
		sendJson(ctx, 400, { error: (error as Error).message });
	}
}

function issueTokens(ctx: RequestContext, body: Record<string, unknown>): void {
	const { config, tokens, clock } = ctx.emulator;
	const scopes = body.scopes ?? config.app.approvedScopes;
	if (
		!Array.isArray(scopes) ||
		scopes.some((s) => !(ALL_SCOPES as readonly string[]).includes(s))
	) {
		throw new Error(`scopes must be a list of: ${ALL_SCOPES.join(', ')}`);
	}
	const expiresIn = body.expiresIn ?? config.accessTokenLifetimeSec;
	if (typeof expiresIn !== 'number' || expiresIn <= 0)
		throw new Error('expiresIn must be a positive number of seconds');
	const openId = typeof body.openId === 'string' ? body.openId : config.creator.openId;
	const pair = tokens.issueGrant(openId, config.app.clientKey, scopes as string[], clock.now(), {
		accessSec: expiresIn,
		refreshSec: config.refreshTokenLifetimeSec,
	});
	sendJson(ctx, 200, pair);
}

function sendClock(ctx: RequestContext): void {
	const { clock } = ctx.emulator;
	sendJson(ctx, 200, {
		now: new Date(clock.now()).toISOString(),
		offsetSeconds: clock.offsetSeconds,
	});
}

function advanceClock(ctx: RequestContext, body: Record<string, unknown>): void {
	const seconds = body.advanceSeconds;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
		throw new Error('advanceSeconds must be a non-negative number');
	}
	ctx.emulator.clock.advance(seconds);
	sendClock(ctx);
}

function addFaults(ctx: RequestContext, body: Record<string, unknown>): void {
	if (!Array.isArray(body.faults)) throw new Error('faults must be a list');
	ctx.emulator.faults.add(body.faults.map(validateFault));
	sendJson(ctx, 200, { faults: ctx.emulator.faults.list() });
}

function publishDraft(ctx: RequestContext, publishId: string): void {
	const post = ctx.emulator.posts.get(publishId);
	const now = ctx.emulator.clock.now();
	if (!post || post.flow !== 'inbox' || statusOf(post, now).status !== 'SEND_TO_USER_INBOX') {
		throw new Error('only a draft in SEND_TO_USER_INBOX can be published by the user');
	}
	post.userPublishedAt = now;
	post.postIds = [newPostId()];
	ctx.emulator.webhooks.tick();
	sendJson(ctx, 200, describePost(post, now));
}

/** The creator makes a public post private in the app: post.publish.no_longer_publicaly_available. */
function unpublishPost(ctx: RequestContext, publishId: string): void {
	const { posts, clock, webhooks } = ctx.emulator;
	const post = posts.get(publishId);
	const now = clock.now();
	if (!post || statusOf(post, now).publicaly_available_post_id.length === 0) {
		throw new Error('only a publicly available post can be made private');
	}
	if (webhooks.isUnpublished(publishId)) throw new Error('the post is no longer public already');
	webhooks.unpublish(post);
	sendJson(ctx, 200, describePost(post, now));
}

const AUTHORIZATION_REMOVED_REASONS = [0, 1, 2, 3, 4, 5];

/** A user's authorization ends outside the API (disconnected in the app, banned, ...): authorization.removed. */
function removeAuthorization(ctx: RequestContext, body: Record<string, unknown>): void {
	const { config, tokens, webhooks } = ctx.emulator;
	const openId = body.openId ?? config.creator.openId;
	const reason = body.reason ?? 1;
	if (typeof openId !== 'string' || openId === '') throw new Error('openId must be a string');
	if (typeof reason !== 'number' || !AUTHORIZATION_REMOVED_REASONS.includes(reason)) {
		throw new Error('reason must be 0 (unknown), 1 (user disconnected), 2 (account deleted), 3 (age changed), 4 (account banned) or 5 (developer revoked)');
	}
	const revokedGrants = tokens.removeAuthorization(openId, config.app.clientKey);
	webhooks.emit('authorization.removed', openId, { reason }, null);
	sendJson(ctx, 200, { open_id: openId, reason, revokedGrants });
}

/** Any body, signed or not, to the callback URL once: for tests of what a receiver refuses. */
async function sendWebhook(ctx: RequestContext, body: Record<string, unknown>): Promise<void> {
	const { config, webhooks } = ctx.emulator;
	const url = body.url ?? config.webhook.url;
	if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new Error('set webhook.url or pass url');
	if (body.body === undefined) throw new Error('body is required (a string is sent as is, anything else as JSON)');
	const text = typeof body.body === 'string' ? body.body : stringifyJson(body.body);
	const signature = body.signature ?? 'valid';
	if (body.timestamp !== undefined && (typeof body.timestamp !== 'number' || !Number.isInteger(body.timestamp))) {
		throw new Error('timestamp must be Unix seconds');
	}
	const timestamp = body.timestamp as number | undefined;
	let header: string | null;
	if (signature === 'valid' || signature === 'invalid') header = webhooks.sign(text, { timestamp, valid: signature === 'valid' });
	else if (signature === 'none') header = null;
	else if (typeof signature === 'string') header = signature;
	else throw new Error('signature must be "valid", "invalid", "none" or a header value');
	const contentType = typeof body.contentType === 'string' ? body.contentType : 'application/json';
	const sent = await webhooks.sendOnce({ body: text, signature: header, url, contentType, source: 'send' });
	sendJson(ctx, 200, { ...sent.record, responseBody: sent.responseBody });
}

/** The very same request again (same bytes, same signature and timestamp): a replay. */
async function replayDelivery(ctx: RequestContext, id: number): Promise<void> {
	const { config, webhooks } = ctx.emulator;
	const original = webhooks.find(id);
	if (!original) throw new Error(`no webhook delivery ${id}`);
	const sent = await webhooks.sendOnce({
		body: original.body,
		signature: original.signature,
		url: config.webhook.url ?? original.url,
		contentType: 'application/json',
		source: 'replay',
	});
	sendJson(ctx, 200, { ...sent.record, responseBody: sent.responseBody });
}

function describePost(post: Post, now: number): Record<string, unknown> {
	const view = statusOf(post, now);
	const upload = post.upload;
	return {
		publish_id: post.publishId,
		endpoint: ENDPOINT_PATHS[post.endpoint],
		open_id: post.openId,
		flow: post.flow,
		media: post.kind,
		post_info: post.postInfo ?? null,
		source_info: post.sourceInfo,
		status: view.status,
		fail_reason: view.fail_reason ?? null,
		// Strings here (lossless); the status endpoint writes them as bare JSON numbers.
		publicaly_available_post_id: view.publicaly_available_post_id.map(String),
		post_ids: post.postIds.map(String),
		created_at: new Date(post.createdAt).toISOString(),
		bytes: upload ? upload.received : (post.pull?.bytes ?? 0),
		sha256: upload
			? upload.sha256
			: post.kind === 'photo'
				? (post.pull?.sha256 ?? [])
				: (post.pull?.sha256[0] ?? null),
		upload: upload
			? {
					video_size: upload.videoSize,
					chunk_size: upload.chunkSize,
					total_chunk_count: upload.totalChunkCount,
					expires_at: new Date(upload.expiresAt).toISOString(),
					chunks: upload.chunks,
				}
			: null,
	};
}

function sendState(ctx: RequestContext): void {
	const { emulator } = ctx;
	const now = emulator.clock.now();
	const since = Number(ctx.url.searchParams.get('since') ?? 0) || 0;
	sendJson(ctx, 200, {
		now: new Date(now).toISOString(),
		clockOffsetSeconds: emulator.clock.offsetSeconds,
		posts: emulator.posts.all().map((post) => describePost(post, now)),
		requests: emulator.requestLog.since(since),
		lastRequestId: emulator.requestLog.latestId,
		tokens: emulator.tokens.summary(now),
		grants: emulator.tokens.grantSummary(),
		refreshes: emulator.tokens.refreshLog(),
		faults: emulator.faults.list(),
		webhookDeliveries: emulator.webhooks.list(),
		config: emulator.config,
	});
}
