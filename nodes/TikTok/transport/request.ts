import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { describeApiError } from '../shared/errorMap';
import { apiBaseUrlFor, type TikTokCredentialType } from './credentials';
import { credentialFailureFromError } from './credentialFailure';
import {
	readEnvelope,
	responseFromError,
	statusFromWrappedError,
	type RawResponse,
	type TikTokEnvelope,
} from './response';
import { TikTokNodeError, type TikTokFailure } from './tiktokError';

export type TikTokContext = IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions;

/**
 * `init` creates a post: a failure whose outcome is unknown (network error, 5xx) must never be
 * repeated, or the creator may get the post twice. `read` calls are safe to repeat.
 */
export type RequestKind = 'read' | 'init';

export interface TikTokCall {
	path: string;
	body?: IDataObject;
	kind?: RequestKind;
}

/** TikTok's windows are one minute; these waits add up to about two and a half minutes. */
export const RATE_LIMIT_WAITS_MS = [5_000, 10_000, 20_000, 30_000, 40_000, 45_000];
/** Read-only calls that met a 5xx or a dropped connection are tried again after these waits. */
const TRANSIENT_WAITS_MS = [1_000, 3_000];

/**
 * One call to TikTok's v2 API through the selected credential, so n8n signs it and refreshes an
 * expired token (see sendOnce). Returns `data` of the envelope; throws TikTokNodeError with
 * TikTok's code, log_id and a hint. A 429 is a rejection, so waiting and repeating it is safe for
 * any call.
 */
export async function tiktokApiRequest(
	this: TikTokContext,
	credentialType: TikTokCredentialType,
	call: TikTokCall,
): Promise<IDataObject> {
	const apiBaseUrl = await apiBaseUrlFor(this, credentialType);
	const kind = call.kind ?? 'read';
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${apiBaseUrl}${call.path}`,
		headers: { 'Content-Type': 'application/json; charset=UTF-8', Accept: 'application/json' },
		body: call.body ?? {},
		encoding: 'text',
		returnFullResponse: true,
		json: false,
	};

	let rateLimitedTries = 0;
	let transientTries = 0;
	for (;;) {
		const outcome = await sendOnce(this, credentialType, options);
		if (outcome.response) {
			const { response } = outcome;
			const envelope = readEnvelope(response);
			if (envelope.code === 'ok') return envelope.data;
			const rateLimited = response.statusCode === 429 || envelope.code === 'rate_limit_exceeded';
			if (rateLimited && rateLimitedTries < RATE_LIMIT_WAITS_MS.length) {
				await sleep(RATE_LIMIT_WAITS_MS[rateLimitedTries++]);
				continue;
			}
			if (kind === 'read' && response.statusCode >= 500 && transientTries < TRANSIENT_WAITS_MS.length) {
				await sleep(TRANSIENT_WAITS_MS[transientTries++]);
				continue;
			}
			throw new TikTokNodeError(this.getNode(), failureFromEnvelope(envelope, response.statusCode, call.path, kind));
		}
		if (kind === 'read' && transientTries < TRANSIENT_WAITS_MS.length) {
			await sleep(TRANSIENT_WAITS_MS[transientTries++]);
			continue;
		}
		throw new TikTokNodeError(this.getNode(), networkFailure(outcome.networkError, kind));
	}
}

/** Maps a TikTok answer that is not `ok` to what the node reports (code, log_id, hint). */
export function failureFromEnvelope(
	envelope: TikTokEnvelope,
	statusCode: number,
	path: string,
	kind: RequestKind,
): TikTokFailure {
	// A bare 401 (no envelope survived) is TikTok's expired/invalid token answer.
	const explained = envelope.code === 'http_401' ? 'access_token_invalid' : envelope.code;
	const description = describeApiError(explained, envelope.message, statusCode, { path });
	const failure: TikTokFailure = {
		code: envelope.code,
		message: description.message,
		hint: description.hint,
		httpStatus: statusCode,
		logId: envelope.logId,
		tiktokMessage: envelope.message,
	};
	if (kind === 'init' && statusCode >= 500) failure.hint = `${failure.hint} ${UNKNOWN_OUTCOME_HINT}`;
	return failure;
}

const UNKNOWN_OUTCOME_HINT =
	'TikTok may or may not have created the post, so the node did not try again (that could post twice). Check the TikTok app or your drafts before running this item again.';

interface SendOutcome {
	response?: RawResponse;
	networkError?: unknown;
}

/**
 * Sends once with HTTP status errors ignored, so TikTok's answer always comes back whole (older
 * n8n versions drop the response of an error they wrap). n8n refreshes an expired token only for a
 * request that throws a 401, so a 401 is sent again the throwing way; TikTok rejected the first
 * one, so repeating it is safe even for an init.
 */
async function sendOnce(
	ctx: TikTokContext,
	credentialType: TikTokCredentialType,
	options: IHttpRequestOptions,
): Promise<SendOutcome> {
	const first = await sendWith(ctx, credentialType, { ...options, ignoreHttpStatusErrors: true });
	if (first.response?.statusCode !== 401) return first;
	const second = await sendWith(ctx, credentialType, options);
	if (second.response || !second.unreadable) return second;
	// The retry failed and this n8n kept no response: a 401 is TikTok's first answer again.
	return second.unreadable.statusCode === 401 ? first : { response: second.unreadable };
}

async function sendWith(
	ctx: TikTokContext,
	credentialType: TikTokCredentialType,
	options: IHttpRequestOptions,
): Promise<SendOutcome & { unreadable?: RawResponse }> {
	let caught: unknown;
	try {
		// n8n mutates the options it is given (signing, empty-body removal): hand it a copy.
		const response = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType, {
			...options,
			headers: { ...options.headers },
		})) as IN8nHttpFullResponse;
		return { response: { statusCode: response.statusCode, body: response.body, headers: response.headers } };
	} catch (error) {
		caught = error;
	}
	const credentialFailure = credentialFailureFromError(caught, credentialType);
	if (credentialFailure) throw new TikTokNodeError(ctx.getNode(), credentialFailure);
	const response = responseFromError(caught);
	if (response) return { response };
	const statusOnly = statusFromWrappedError(caught);
	return statusOnly ? { unreadable: statusOnly } : { networkError: caught };
}

function networkFailure(error: unknown, kind: RequestKind): TikTokFailure {
	const reason = error instanceof Error && error.message ? error.message : 'no response';
	return {
		code: kind === 'init' ? 'init_outcome_unknown' : 'network_error',
		message:
			kind === 'init'
				? `TikTok did not answer the post request (${reason})`
				: `Could not reach TikTok (${reason})`,
		hint:
			kind === 'init'
				? UNKNOWN_OUTCOME_HINT
				: 'Check that n8n can reach the API base URL set in the credential, then run the node again.',
	};
}
