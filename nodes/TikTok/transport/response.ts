import type { IDataObject } from 'n8n-workflow';

import { parseJsonLossless } from '../shared/losslessJson';

/** A raw HTTP answer, however n8n delivered it (a resolved full response or an axios error). */
export interface RawResponse {
	statusCode: number;
	body: unknown;
	headers: IDataObject;
}

/** TikTok's envelope, read from any body shape; big integers stay exact strings. */
export interface TikTokEnvelope {
	data: IDataObject;
	code: string;
	message?: string;
	logId?: string;
	/** The flat OAuth error shape ({error, error_description}) instead of the v2 envelope. */
	oauthError?: string;
}

export function readEnvelope(response: RawResponse): TikTokEnvelope {
	const parsed = parseBody(response.body);
	const headerLogId = typeof response.headers?.['x-tt-logid'] === 'string' ? response.headers['x-tt-logid'] : undefined;
	const data = isObject(parsed?.data) ? parsed.data : {};
	if (isObject(parsed?.error)) {
		const error = parsed.error;
		return {
			data,
			code: typeof error.code === 'string' ? error.code : 'unknown_error',
			message: typeof error.message === 'string' ? error.message : undefined,
			logId: typeof error.log_id === 'string' ? error.log_id : headerLogId,
		};
	}
	if (typeof parsed?.error === 'string') {
		return {
			data,
			code: parsed.error,
			oauthError: parsed.error,
			message: typeof parsed.error_description === 'string' ? parsed.error_description : undefined,
			logId: typeof parsed.log_id === 'string' ? parsed.log_id : headerLogId,
		};
	}
	// No envelope at all (a proxy's HTML page, an empty 5xx): judge by the status alone.
	const ok = response.statusCode >= 200 && response.statusCode < 300 && parsed !== undefined;
	return { data, code: ok ? 'ok' : `http_${response.statusCode}`, logId: headerLogId };
}

function parseBody(body: unknown): IDataObject | undefined {
	if (isObject(body) && !isBinary(body)) return body;
	const text = isBinary(body) ? Buffer.from(body as Uint8Array).toString('utf8') : body;
	if (typeof text !== 'string' || text.trim() === '') return undefined;
	try {
		const parsed = parseJsonLossless(text);
		return isObject(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

function isBinary(value: unknown): boolean {
	return value instanceof Uint8Array || value instanceof ArrayBuffer;
}

export function isObject(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Finds the HTTP response inside an error thrown by n8n's request helpers. n8n wraps axios errors
 * (NodeApiError → cause → axios error → response), and versions differ in how deep it sits.
 */
export function responseFromError(error: unknown): RawResponse | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && isObject(current); depth++) {
		const candidate = (current as IDataObject).response;
		if (isObject(candidate) && typeof candidate.status === 'number') {
			return {
				statusCode: candidate.status,
				body: candidate.data,
				headers: isObject(candidate.headers) ? candidate.headers : {},
			};
		}
		current = (current as IDataObject).cause;
	}
	return undefined;
}

/**
 * What is left of an HTTP error once n8n wrapped it without keeping the response (n8n 1.x and
 * 2.x before ~2.27 drop an Error `cause`): the status code, and the body if it was parsed JSON.
 */
export function statusFromWrappedError(error: unknown): RawResponse | undefined {
	if (!isObject(error)) return undefined;
	const status = Number(error.httpCode);
	if (!Number.isInteger(status) || status < 100) return undefined;
	const context = isObject(error.context) ? error.context : {};
	return { statusCode: status, body: context.data, headers: {} };
}
