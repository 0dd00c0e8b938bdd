import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import { credentialTypeFor, type TikTokCredentialType } from '../../transport/credentials';
import { fetchCreatorInfo } from '../common/creatorInfo';
import { runItemsTogether } from '../common/itemLoop';
import { ParameterReader } from '../common/parameterReader';
import { readWaitRequest, waitFields, waitOptionFields } from '../common/postFields';
import { failedPublishError, fetchPublishStatus, FINAL_STATUSES, shapePublishStatus, waitForFinalStatus } from '../common/publishStatus';
import { publishIdField, readPublishId } from './publishIdField';

export const option: INodePropertyOptions = {
	name: 'Get Status',
	value: 'getStatus',
	description: 'Get the publishing status of a post, with its public post IDs and URLs once available',
	action: 'Get post status',
	// A custom operation (see TikTok.node.ts): each item's input is checked before its first call,
	// and a failed item keeps TikTok's code, log_id and hint under Continue On Fail.
};

export const properties: INodeProperties[] = [
	...waitFields({ resource: ['post'], operation: ['getStatus'] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['post'], operation: ['getStatus'], waitForCompletion: [true] } },
		options: [...waitOptionFields],
	},
];

/**
 * Every item is checked at once, as the routing engine used to: waiting items share TikTok's 30
 * status calls a minute through the transport's rate budget, so eight waits cost no more calls.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentialType = credentialTypeFor(this.getNodeParameter('authentication', 0, 'oAuth2'));
	return await runItemsTogether.call(this, async function (this: IExecuteFunctions, itemIndex: number) {
		return await statusOfOne.call(this, credentialType, itemIndex);
	});
}

async function statusOfOne(this: IExecuteFunctions, credentialType: TikTokCredentialType, itemIndex: number): Promise<IDataObject> {
	const reader = ParameterReader.forItem(this, itemIndex, [publishIdField, ...properties]);
	const publishId = readPublishId(reader);
	const wait = readWaitRequest(reader);
	let data = await fetchPublishStatus.call(this, credentialType, publishId);
	// Waiting means "tell me when it is done": a failed post is then an error, as in the post operations.
	if (wait && data.status === 'FAILED') throw failedPublishError(this, publishId, data);
	if (wait && !FINAL_STATUSES.includes(String(data.status))) {
		data = await waitForFinalStatus.call(this, credentialType, publishId, wait);
	}
	const username = await usernameForUrls.call(this, credentialType, data);
	return shapePublishStatus(publishId, data, username);
}

/** Post URLs need the creator's handle; only worth a call when TikTok returned public post ids. */
async function usernameForUrls(
	this: IExecuteFunctions,
	credentialType: TikTokCredentialType,
	data: IDataObject,
): Promise<string | undefined> {
	const ids = data.publicaly_available_post_id;
	if (!Array.isArray(ids) || ids.length === 0) return undefined;
	try {
		return (await fetchCreatorInfo.call(this, credentialType)).creator_username;
	} catch {
		return undefined; // the status itself is what was asked for; URLs fall back to the id form
	}
}
