/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Request context and the single way every handler answers: it adds TikTok's x-tt-logid header,
// records the status in the request log, and honours a scripted "drop before response" fault.
import type { IncomingMessage, ServerResponse } from 'http';
import type { Emulator } from './emulator';
import { stringifyJson } from './json';
import type { RequestLogEntry } from './request-log';

export interface RequestContext {
	req: IncomingMessage;
	res: ServerResponse;
	url: URL;
	logId: string;
	emulator: Emulator;
	log?: RequestLogEntry;
	/** Set by a fault: do all the work, then destroy the socket instead of answering. */
	dropBeforeResponse: boolean;
	/** First byte index of an upload PUT, for fault matching by chunk. */
	chunkIndex?: number;
	/** Set by a fault: an upload PUT's body is read at most this fast (a slow uplink). */
	throttleBytesPerSecond?: number;
}

export function respond(
	ctx: RequestContext,
	status: number,
	headers: Record<string, string | number>,
	body?: string | Buffer,
): void {
	if (ctx.res.headersSent || ctx.res.destroyed) return;
	if (ctx.dropBeforeResponse) {
		if (ctx.log) ctx.log.status = 'dropped';
		ctx.req.resume();
		ctx.req.socket.destroy();
		return;
	}
	if (ctx.log) ctx.log.status = status;
	const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body);
	ctx.res.writeHead(status, {
		'x-tt-logid': ctx.logId,
		'content-length': payload ? payload.length : 0,
		...headers,
	});
	ctx.res.end(payload);
	// Unread request bodies (an early error answer) are drained so the connection stays usable.
	ctx.req.resume();
}

export function sendJson(ctx: RequestContext, status: number, body: unknown): void {
	respond(ctx, status, { 'content-type': 'application/json; charset=utf-8' }, stringifyJson(body));
}

/** Success in the v2 envelope (reference §2). */
export function sendData(ctx: RequestContext, data: unknown): void {
	sendJson(ctx, 200, { data, error: { code: 'ok', message: '', log_id: ctx.logId } });
}

/** Error in the v2 envelope (reference §2): `data` is empty, `error.code` carries the reason. */
export function sendApiError(
	ctx: RequestContext,
	status: number,
	code: string,
	message: string,
): void {
	sendJson(ctx, status, { data: {}, error: { code, message, log_id: ctx.logId } });
}

/**
 * Errors TikTok documents with 403 but has been seen returning with HTTP 200 (reference §2,
 * §4.3, §18 q9): the `errorStatus` setting picks which.
 */
export function sendPolicyError(ctx: RequestContext, code: string, message: string): void {
	const status = ctx.emulator.config.errorStatus === 200 ? 200 : 403;
	sendApiError(ctx, status, code, message);
}

/** OAuth errors are flat (reference §15.2); their HTTP status follows the `errorStatus` setting. */
export function sendOAuthError(
	ctx: RequestContext,
	documentedStatus: number,
	error: string,
	description: string,
): void {
	const status = ctx.emulator.config.errorStatus === 200 ? 200 : documentedStatus;
	sendJson(ctx, status, { error, error_description: description, log_id: ctx.logId });
}

export function sendHtml(ctx: RequestContext, status: number, html: string): void {
	respond(ctx, status, { 'content-type': 'text/html; charset=utf-8' }, html);
}

export function redirect(ctx: RequestContext, location: string): void {
	respond(ctx, 302, { location });
}

export class BodyTooLargeError extends Error {}

/** Reads a small request body (JSON or form); never used for uploads. */
export function readSmallBody(req: IncomingMessage, limit = 1024 * 1024): Promise<string> {
	return new Promise((resolve, reject) => {
		const parts: Buffer[] = [];
		let size = 0;
		req.on('data', (part: Buffer) => {
			size += part.length;
			if (size > limit) {
				req.removeAllListeners('data');
				reject(new BodyTooLargeError('body too large'));
				return;
			}
			parts.push(part);
		});
		req.on('end', () => resolve(Buffer.concat(parts).toString('utf8')));
		req.on('error', reject);
	});
}
