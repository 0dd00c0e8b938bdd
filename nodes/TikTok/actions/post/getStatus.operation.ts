import type {
	IDataObject,
	IExecuteSingleFunctions,
	IN8nHttpFullResponse,
	INodeExecutionData,
	INodeProperties,
	INodePropertyOptions,
} from 'n8n-workflow';

import { fetchCreatorInfo } from '../common/creatorInfo';
import { ParameterReader } from '../common/parameterReader';
import { readWaitRequest, waitFields, waitOptionFields } from '../common/postFields';
import { failedPublishError, FINAL_STATUSES, STATUS_PATH, shapePublishStatus, waitForFinalStatus } from '../common/publishStatus';
import { routedCredentialType, routedData, settleRouted } from '../common/routedResponse';
import { publishIdOf, sendPublishId } from './publishIdField';

export const option: INodePropertyOptions = {
	name: 'Get Status',
	value: 'getStatus',
	description: 'Get the publishing status of a post, with its public post IDs and URLs once available',
	action: 'Get post status',
	routing: {
		request: { method: 'POST', url: STATUS_PATH },
		send: { preSend: [sendPublishId] },
		output: { postReceive: [outputPublishStatus] },
	},
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

export async function outputPublishStatus(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return await settleRouted(this, async () => {
		const publishId = publishIdOf(this);
		const wait = readWaitRequest(ParameterReader.forSingleItem(this, properties));
		let data = await routedData(this, response, { path: STATUS_PATH, body: { publish_id: publishId } });
		// Waiting means "tell me when it is done": a failed post is then an error, as in the post operations.
		if (wait && data.status === 'FAILED') throw failedPublishError(this, publishId, data);
		if (wait && !FINAL_STATUSES.includes(String(data.status))) {
			data = await waitForFinalStatus.call(this, routedCredentialType(this), publishId, wait);
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
