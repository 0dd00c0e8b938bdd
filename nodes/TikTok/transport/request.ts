import type {
	IDataObject,
	IExecuteFunctions,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
} from 'n8n-workflow';

import { describeApiError } from '../shared/errorMap';
import { apiBaseUrlFor, credentialKeyFor, type TikTokCredentialType } from './credentials';
import { credentialFailureFromError, isRefreshRefusal, OAUTH2_REFRESH_IGNORED_HINT } from './credentialFailure';
import { reserveSendTime } from './rateBudget';
import { afterTokenRejected, refreshGeneration } from './refreshGate';
import { readEnvelope, responseFromError, statusFromWrappedError, type RawResponse, type TikTokEnvelope } from './response';
import { REFRESH_RACE_WAITS_MS, retryDelay, type CallKind } from './retryPolicy';
import { TikTokNodeError, type TikTokFailure } from './tiktokError';
import { settle } from '../shared/settle';
import { cancelSignalOf, ExecutionStoppedError, pause } from './waiting';

export type TikTokContext = IExecuteFunctions | IExecuteSingleFunctions | ILoadOptionsFunctions;
export type { CallKind } from './retryPolicy';

export interface TikTokCall {
	path: string;
	body?: IDataObject;
	/** `init` creates a post: see retryPolicy.ts for what that forbids. Default `read`. */
	kind?: CallKind;
	/** An editor dropdown is loading: fail fast instead of waiting out limits or outages. */
	interactive?: boolean;
}

/** Every API call ends within this, answered or not (n8n's own default would be 5 minutes). */
export const API_TIMEOUT_MS = 60_000;
export const INTERACTIVE_TIMEOUT_MS = 15_000;

/**
 * One call to TikTok's v2 API through the selected credential, so n8n signs it and refreshes an
 * expired token (see sendAuthenticated). Returns `data` of the envelope; throws TikTokNodeError
 * with TikTok's code, log_id and a hint. What is sent again, and when, is retryPolicy's decision.
 */
export async function tiktokApiRequest(
	this: TikTokContext,
	credentialType: TikTokCredentialType,
	call: TikTokCall,
): Promise<IDataObject> {
	const apiBaseUrl = await apiBaseUrlFor(this, credentialType);
	const kind = call.kind ?? 'read';
	const interactive = call.interactive === true;
	const signal = cancelSignalOf(this);
	const key = credentialKeyFor(this, credentialType);
	const options: IHttpRequestOptions = {
		method: 'POST',
		url: `${apiBaseUrl}${call.path}`,
		headers: { 'Content-Type': 'application/json; charset=UTF-8', Accept: 'application/json' },
		body: call.body ?? {},
		encoding: 'text',
		returnFullResponse: true,
		json: false,
		timeout: interactive ? INTERACTIVE_TIMEOUT_MS : API_TIMEOUT_MS,
		...(signal ? { abortSignal: signal } : {}),
	};

	const attempts = { rateLimited: 0, transient: 0 };
	let refreshRaces = 0;
	for (;;) {
		await waitForSendTime(this, key, call.path, signal, interactive);
		const sent = await settle(async () => await sendAuthenticated(this, credentialType, key, options));
		if (!sent.ok) {
			// Another n8n process may have refreshed this credential a moment ago: its rotated
			// refresh token replaced the one just presented. The request itself was not processed.
			const wait = REFRESH_RACE_WAITS_MS[refreshRaces];
			const { error } = sent;
			if (!interactive && error instanceof TikTokNodeError && isRefreshRefusal(error.tiktok) && wait !== undefined) {
				refreshRaces++;
				await pauseOrStop(this, wait, signal, kind);
				continue;
			}
			throw error;
		}
		const outcome = sent.value;
		if (outcome.response) {
			const { response } = outcome;
			const envelope = readEnvelope(response);
			if (envelope.code === 'ok') return envelope.data;
			const rateLimited = response.statusCode === 429 || envelope.code === 'rate_limit_exceeded';
			const delay = retryDelay(kind, { answered: true, statusCode: response.statusCode, rateLimited }, attempts, interactive);
			if (delay !== undefined) {
				if (rateLimited) attempts.rateLimited++;
				else attempts.transient++;
				await pauseOrStop(this, delay, signal, kind);
				continue;
			}
			const failure = failureFromEnvelope(envelope, response.statusCode, call.path, kind);
			if (outcome.afterRefresh && rejectsTheToken(failure.code) && credentialType === 'tikTokOAuth2Api') {
				// n8n "refreshed" and TikTok still refuses the token: TikTok answered the refresh with
				// an error n8n took for a token (HTTP 200). The lasting fix comes first. Other 401s
				// (a scope the creator did not grant) keep their own message: a refresh cannot fix them.
				failure.message = `TikTok did not accept n8n's OAuth2 token refresh: switch the node's Authentication to "Refresh Token" (${failure.code})`;
				failure.hint = OAUTH2_REFRESH_IGNORED_HINT;
			}
			throw new TikTokNodeError(this.getNode(), failure);
		}
		if (signal?.aborted) throw stoppedError(this, kind);
		const delay = retryDelay(kind, { answered: false }, attempts, interactive);
		if (delay !== undefined) {
			attempts.transient++;
			await pauseOrStop(this, delay, signal, kind);
			continue;
		}
		throw new TikTokNodeError(this.getNode(), networkFailure(outcome.networkError, kind));
	}
}

/** For requests the routing engine sends itself: wait for their turn like every other call. */
export async function waitForTurn(
	ctx: IExecuteSingleFunctions,
	credentialType: TikTokCredentialType,
	path: string,
): Promise<void> {
	await waitForSendTime(ctx, credentialKeyFor(ctx, credentialType), path, cancelSignalOf(ctx), false);
}

/** Waits for this call's turn within TikTok's per-minute limits (see rateBudget.ts). */
async function waitForSendTime(
	ctx: TikTokContext,
	key: string,
	path: string,
	signal: AbortSignal | undefined,
	interactive: boolean,
): Promise<void> {
	const wait = reserveSendTime(key, path, Date.now(), interactive);
	if (wait <= 0) {
		if (interactive) reserveSendTime(key, path, Date.now());
		return;
	}
	if (interactive) {
		throw new TikTokNodeError(ctx.getNode(), {
			code: 'rate_limit_exceeded',
			message: 'TikTok\'s per-minute limit for this account is in use by running workflows',
			hint: `Try again in ${Math.ceil(wait / 1000)} seconds, or type the value as an expression.`,
		});
	}
	await pauseOrStop(ctx, wait, signal, 'read');
}

async function pauseOrStop(ctx: TikTokContext, ms: number, signal: AbortSignal | undefined, kind: CallKind): Promise<void> {
	const paused = await settle(async () => await pause(ms, signal));
	if (paused.ok) return;
	throw paused.error instanceof ExecutionStoppedError ? stoppedError(ctx, kind, false) : paused.error;
}

/** The execution was stopped: said plainly, and for a post request whose answer never came, that the post may exist. */
function stoppedError(ctx: TikTokContext, kind: CallKind, requestInFlight = true): TikTokNodeError {
	const postMayExist = kind === 'init' && requestInFlight;
	return new TikTokNodeError(ctx.getNode(), {
		code: 'execution_stopped',
		message: 'The execution was stopped',
		hint: postMayExist
			? 'It was stopped while TikTok was answering the post request, so the post may exist: check the TikTok app or your drafts before posting this item again.'
			: 'Nothing more was sent to TikTok.',
		postMayExist,
	});
}

/** A bare 401 (no envelope survived) is TikTok's expired/invalid token answer. */
function explainedCode(code: string): string {
	return code === 'http_401' ? 'access_token_invalid' : code;
}

/** TikTok refused the access token itself, not a scope the creator did not grant. */
function rejectsTheToken(code: string): boolean {
	return explainedCode(code) === 'access_token_invalid';
}

/** Maps a TikTok answer that is not `ok` to what the node reports (code, log_id, hint). */
export function failureFromEnvelope(
	envelope: TikTokEnvelope,
	statusCode: number,
	path: string,
	kind: CallKind,
): TikTokFailure {
	const description = describeApiError(explainedCode(envelope.code), envelope.message, statusCode, { path });
	const failure: TikTokFailure = {
		code: envelope.code,
		message: description.message,
		hint: description.hint,
		httpStatus: statusCode,
		logId: envelope.logId,
		tiktokMessage: envelope.message,
	};
	if (kind === 'init' && statusCode >= 500) {
		failure.hint = `${failure.hint} ${UNKNOWN_OUTCOME_HINT}`;
		failure.postMayExist = true;
	}
	return failure;
}

const UNKNOWN_OUTCOME_HINT =
	'TikTok may or may not have created the post, so the node did not try again (that could post twice). Check the TikTok app or your drafts before running this item again.';

interface SendOutcome {
	response?: RawResponse;
	networkError?: unknown;
	/** The answer came after n8n refreshed the token (and retried once). */
	afterRefresh?: boolean;
}

/**
 * Sends with HTTP status errors ignored, so TikTok's answer always comes back whole (older n8n
 * versions drop the response of an error they wrap). n8n refreshes an expired token only for a
 * request that throws a 401, so after a 401 the request is sent again the throwing way; TikTok
 * rejected the first one, so repeating it is safe even for an init. Concurrent callers of one
 * credential refresh one at a time (refreshGate.ts).
 */
async function sendAuthenticated(
	ctx: TikTokContext,
	credentialType: TikTokCredentialType,
	key: string,
	options: IHttpRequestOptions,
): Promise<SendOutcome> {
	const generation = refreshGeneration(key);
	const first = await sendWith(ctx, credentialType, { ...options, ignoreHttpStatusErrors: true });
	if (first.response?.statusCode !== 401) return first;
	return await afterTokenRejected<SendOutcome>(key, generation, {
		resend: async () => {
			const again = await sendWith(ctx, credentialType, { ...options, ignoreHttpStatusErrors: true });
			return again.response?.statusCode === 401 ? undefined : again;
		},
		refresh: async () => {
			const second = await sendWith(ctx, credentialType, options);
			if (second.response || !second.unreadable) return { ...second, afterRefresh: true };
			// The retry failed and this n8n kept no response: a 401 is TikTok's first answer again.
			return second.unreadable.statusCode === 401
				? { ...first, afterRefresh: true }
				: { response: second.unreadable, afterRefresh: true };
		},
	});
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

/**
 * Why a request got no answer, as the network code (ECONNRESET, ETIMEDOUT…). n8n's own wording of
 * it suggests retrying the request, which is exactly wrong for a post request.
 */
export function networkReason(error: unknown): string {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
		const { code, cause } = current as { code?: unknown; cause?: unknown };
		if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code === 'ECONNABORTED' ? 'timed out' : code;
		current = cause;
	}
	return 'no answer';
}

function networkFailure(error: unknown, kind: CallKind): TikTokFailure {
	const reason = networkReason(error);
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
		postMayExist: kind === 'init',
	};
}

