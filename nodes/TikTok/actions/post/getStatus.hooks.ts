import type { IDataObject, IExecuteSingleFunctions, IHttpRequestOptions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import { InputError } from '../../shared/inputError';
import { fetchCreatorInfo } from '../creatorInfo';
import { failedPublishError, FINAL_STATUSES, STATUS_PATH, shapePublishStatus, waitForFinalStatus } from '../publishStatus';
import { routedCredentialType, routedData, settleRouted } from '../routedResponse';
import { toItemError } from '../itemError';

export function publishIdParameter(ctx: IExecuteSingleFunctions): string {
	const value = ctx.getNodeParameter('publishId', '');
	return typeof value === 'string' || typeof value === 'number' ? String(value).trim() : '';
}

/** Refuses an empty publish_id before calling TikTok. */
export async function requirePublishId(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	if (!publishIdParameter(this)) {
		throw toItemError(
			this.getNode(),
			new InputError(
				// The routing engine's error items keep only the message, so it carries the fix too.
				'Publish ID is empty: map the "publish_id" returned by Post Video or Post Photos',
				'Map the "publish_id" returned by the Post Video or Post Photos operation, e.g. {{ $json.publish_id }}.',
			),
			this.getItemIndex(),
		);
	}
	return requestOptions;
}

export async function outputPublishStatus(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const publishId = publishIdParameter(this);
	const credentialType = routedCredentialType(this);
	return await settleRouted(this, async () => {
		let data = await routedData(this, response, { path: STATUS_PATH, body: { publish_id: publishId } });
		const wait = this.getNodeParameter('waitForCompletion', false) === true;
		// Waiting means "tell me when it is done": a failed post is then an error, as in the post operations.
		if (wait && data.status === 'FAILED') throw failedPublishError(this, publishId, data);
		if (wait && !FINAL_STATUSES.includes(String(data.status))) {
			const options = this.getNodeParameter('options', {}) as IDataObject;
			data = await waitForFinalStatus.call(this, credentialType, publishId, {
				timeoutSeconds: Number(options.waitTimeoutMinutes ?? 10) * 60,
				pollIntervalSeconds: Number(options.pollIntervalSeconds ?? 5),
			});
		}
		const username = await usernameForUrls.call(this, data);
		return [{ json: shapePublishStatus(publishId, data, username) }];
	});
}

/** Post URLs need the creator's handle; only worth a call when TikTok returned public post ids. */
async function usernameForUrls(this: IExecuteSingleFunctions, data: IDataObject): Promise<string | undefined> {
	const ids = data.publicaly_available_post_id;
	if (!Array.isArray(ids) || ids.length === 0) return undefined;
	try {
		const creator = await fetchCreatorInfo.call(this, routedCredentialType(this));
		return creator.creator_username;
	} catch {
		return undefined; // the status itself is what was asked for; URLs fall back to the id form
	}
}
