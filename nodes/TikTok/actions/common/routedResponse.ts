import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';

import { credentialTypeFor, type TikTokCredentialType } from '../../transport/credentials';
import { failureFromEnvelope, type TikTokCall, tiktokApiRequest, waitForTurn } from '../../transport/request';
import { readEnvelope } from '../../transport/response';
import { TikTokNodeError } from '../../transport/tiktokError';
import { errorItem, toItemError } from './itemLoop';

export function routedCredentialType(ctx: IExecuteSingleFunctions): TikTokCredentialType {
	return credentialTypeFor(ctx.getNodeParameter('authentication', 'oAuth2'));
}

/**
 * The routing engine starts every item's request at once: each first waits for its turn within
 * TikTok's per-minute limits, shared with everything else using the credential (rateBudget.ts).
 */
export async function takeTurn(this: IExecuteSingleFunctions, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
	await waitForTurn(this, routedCredentialType(this), String(requestOptions.url ?? ''));
	return requestOptions;
}

/**
 * The `data` of a routed request's answer. Routed requests ignore HTTP status errors so TikTok's
 * envelope reaches us; but n8n refreshes tokens only for a request that throws a 401, so a 401 (or a
 * 429, which the transport waits out) is handed to the transport, which repeats the call through
 * n8n's authenticated helper. Every other error is mapped to TikTok's code, log_id and a hint.
 */
export async function routedData(
	ctx: IExecuteSingleFunctions,
	response: IN8nHttpFullResponse,
	call: TikTokCall,
): Promise<IDataObject> {
	const raw = { statusCode: response.statusCode, body: response.body, headers: response.headers };
	const envelope = readEnvelope(raw);
	if (envelope.code === 'ok') return envelope.data;
	if (response.statusCode === 401 || response.statusCode === 429 || envelope.code === 'rate_limit_exceeded') {
		return await tiktokApiRequest.call(ctx, routedCredentialType(ctx), call);
	}
	throw new TikTokNodeError(ctx.getNode(), failureFromEnvelope(envelope, response.statusCode, call.path, call.kind ?? 'read'));
}

/**
 * Runs a routed operation's output step. Under Continue On Fail the failure becomes an item that
 * keeps TikTok's code, log_id and hint (the routing engine's own error items keep only the message).
 */
export async function settleRouted(
	ctx: IExecuteSingleFunctions,
	produce: () => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	let failure: unknown;
	try {
		return await produce();
	} catch (error) {
		failure = error;
	}
	const error = toItemError(ctx.getNode(), failure, ctx.getItemIndex());
	if (ctx.continueOnFail()) return [errorItem(ctx, error, ctx.getItemIndex())];
	throw error;
}
