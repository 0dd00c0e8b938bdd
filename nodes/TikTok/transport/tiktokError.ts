import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

/** What the node keeps of a failed TikTok call: enough for support tickets, never a secret. */
export interface TikTokFailure {
	/** TikTok's `error.code`, a fail_reason, an OAuth error, or one of ours (e.g. `upload_failed`). */
	code: string;
	message: string;
	hint: string;
	httpStatus?: number;
	logId?: string;
	publishId?: string;
	tiktokMessage?: string;
	/** A post request failed in a way that leaves open whether TikTok created the post. */
	postMayExist?: boolean;
	/** For a failed pull: how many bytes TikTok had downloaded (it fetches photos in order). */
	downloadedBytes?: number;
}

/** An n8n error that carries a TikTokFailure, so callers (and continueOnFail) can read its fields. */
export class TikTokNodeError extends NodeApiError {
	readonly tiktok: TikTokFailure;

	constructor(node: INode, failure: TikTokFailure) {
		const response: JsonObject = { code: failure.code, message: failure.tiktokMessage ?? failure.message };
		if (failure.logId) response.log_id = failure.logId;
		if (failure.publishId) response.publish_id = failure.publishId;
		super(node, response, {
			message: failure.message,
			description: describeFailure(failure),
			httpCode: failure.httpStatus ? String(failure.httpStatus) : undefined,
		});
		this.tiktok = failure;
	}
}

function describeFailure(failure: TikTokFailure): string {
	const ids = [`TikTok code: ${failure.code}`];
	if (failure.publishId) ids.push(`publish_id: ${failure.publishId}`);
	if (failure.logId) ids.push(`log_id: ${failure.logId}`);
	return `${failure.hint} (${ids.join(', ')})`;
}

/** The JSON an error item carries under continueOnFail. */
export function failureToJson(failure: TikTokFailure): JsonObject {
	const json: JsonObject = { error: failure.message, hint: failure.hint, code: failure.code };
	if (failure.httpStatus) json.httpStatus = failure.httpStatus;
	if (failure.logId) json.log_id = failure.logId;
	if (failure.publishId) json.publish_id = failure.publishId;
	if (failure.tiktokMessage) json.tiktokMessage = failure.tiktokMessage;
	return json;
}
