/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The HTTP server: request logging, scripted faults, then routing to TikTok's paths.
import http from 'http';
import { handleControl } from './control';
import type { Emulator } from './emulator';
import type { FaultSpec } from './faults';
import { respond, sendApiError, sendJson, type RequestContext } from './http';
import { newLogId } from './ids';
import { serveMedia } from './media';
import { authorizePage, consentDecision, revokeEndpoint, tokenEndpoint } from './oauth';
import { contentInit, creatorInfo, videoInit } from './posting';
import { maskHeaders, maskPath } from './request-log';
import { cancelPublish, fetchStatus } from './status';
import { chunkIndexOf, uploadChunk } from './upload';
import { userInfo } from './user-info';

type Handler = (ctx: RequestContext) => void | Promise<void>;

const ROUTES: Record<string, Handler> = {
	'POST /v2/post/publish/creator_info/query/': creatorInfo,
	'POST /v2/post/publish/video/init/': (ctx) => videoInit(ctx, 'direct'),
	'POST /v2/post/publish/inbox/video/init/': (ctx) => videoInit(ctx, 'inbox'),
	'POST /v2/post/publish/content/init/': contentInit,
	'POST /v2/post/publish/status/fetch/': fetchStatus,
	'POST /v2/post/publish/cancel/': cancelPublish,
	'GET /v2/user/info/': userInfo,
	'GET /v2/auth/authorize/': authorizePage,
	'POST /v2/auth/authorize/consent': consentDecision,
	'POST /v2/oauth/token/': tokenEndpoint,
	'POST /v2/oauth/revoke/': revokeEndpoint,
};

export const UPLOAD_PATH = '/video/';

export function createServer(emulator: Emulator): http.Server {
	const server = http.createServer((req, res) => {
		handle(emulator, req, res).catch((error: Error) => {
			const ctx = { req, res, logId: newLogId(Date.now()) } as RequestContext;
			ctx.dropBeforeResponse = false;
			ctx.emulator = emulator;
			sendApiError(ctx, 500, 'internal_error', `Emulator error: ${error.message}`);
		});
	});
	// Large chunks over slow links must not hit Node's default request timeout.
	server.requestTimeout = 0;
	// Idle keep-alive sockets stay open longer than clients keep them (undici: 4 s, axios agents:
	// longer), so the server never closes one that a client is about to reuse (ECONNRESET under load).
	server.keepAliveTimeout = 120_000;
	server.headersTimeout = 125_000;
	return server;
}

async function handle(
	emulator: Emulator,
	req: http.IncomingMessage,
	res: http.ServerResponse,
): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://emulator.invalid');
	const ctx: RequestContext = {
		req,
		res,
		url,
		logId: newLogId(emulator.clock.now()),
		emulator,
		dropBeforeResponse: false,
	};
	const isControl =
		url.pathname.startsWith('/__emulator/') && !url.pathname.startsWith('/__emulator/media/');
	if (isControl) return handleControl(ctx);
	const isUpload = url.pathname === UPLOAD_PATH;
	if (isUpload) ctx.chunkIndex = chunkIndexOf(ctx);
	ctx.log = emulator.requestLog.add({
		time: new Date(emulator.clock.now()).toISOString(),
		method: req.method ?? '',
		path: maskPath(url),
		status: null,
		headers: maskHeaders(req.headers),
		...(ctx.chunkIndex !== undefined ? { chunkIndex: ctx.chunkIndex } : {}),
	});
	const log = ctx.log;
	res.on('close', () => {
		if (log.status !== null) return;
		log.status = 'aborted';
		log.abortedAtMs = Date.now();
	});
	const fault = emulator.faults.take({
		method: req.method ?? '',
		pathname: url.pathname,
		pathWithQuery: `${url.pathname}${url.search}`,
		chunkIndex: ctx.chunkIndex,
	});
	if (fault && (await applyFault(ctx, fault))) return;
	if (isUpload) return uploadChunk(ctx);
	if (
		url.pathname.startsWith('/__emulator/media/') &&
		(req.method === 'GET' || req.method === 'HEAD')
	) {
		return serveMedia(ctx);
	}
	const handler = ROUTES[`${req.method} ${url.pathname}`];
	if (handler) return handler(ctx);
	sendApiError(ctx, 404, 'not_found', `No route for ${req.method} ${url.pathname}`);
}

/** Applies a fault; true when it answered (or dropped) the request itself. */
async function applyFault(ctx: RequestContext, fault: FaultSpec): Promise<boolean> {
	if (fault.delayMs) await ctx.emulator.sleep(fault.delayMs);
	if (fault.throttleBytesPerSecond) ctx.throttleBytesPerSecond = fault.throttleBytesPerSecond;
	if (fault.drop === 'mid-request') {
		dropMidRequest(ctx);
		return true;
	}
	if (fault.status !== undefined) {
		const headers = fault.headers ?? {};
		if (fault.body === undefined)
			sendApiError(ctx, fault.status, defaultFaultCode(fault.status), 'Injected fault');
		else if (typeof fault.body === 'string')
			respond(ctx, fault.status, { 'content-type': 'text/plain', ...headers }, fault.body);
		else sendJsonWithHeaders(ctx, fault.status, fault.body, headers);
		return true;
	}
	if (fault.drop === 'before-response') ctx.dropBeforeResponse = true;
	return false;
}

function sendJsonWithHeaders(
	ctx: RequestContext,
	status: number,
	body: unknown,
	headers: Record<string, string>,
) {
	if (!Object.keys(headers).length) return sendJson(ctx, status, body);
	respond(
		ctx,
		status,
		{ 'content-type': 'application/json; charset=utf-8', ...headers },
		JSON.stringify(body),
	);
}

function defaultFaultCode(status: number): string {
	if (status === 429) return 'rate_limit_exceeded';
	if (status === 401) return 'access_token_invalid';
	if (status === 400) return 'invalid_params';
	return 'internal_error';
}

/** Destroys the socket once about half the declared body has arrived (at once if there is none). */
function dropMidRequest(ctx: RequestContext): void {
	if (ctx.log) ctx.log.status = 'dropped';
	const declared = Number(ctx.req.headers['content-length'] ?? 0);
	if (!declared) return void ctx.req.socket.destroy();
	let received = 0;
	ctx.req.on('data', (part: Buffer) => {
		received += part.length;
		if (received >= declared / 2) ctx.req.socket.destroy();
	});
	ctx.req.on('end', () => ctx.req.socket.destroy());
}
