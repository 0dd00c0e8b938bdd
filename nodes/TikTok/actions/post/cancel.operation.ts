import type { IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import { routedData, settleRouted } from '../common/routedResponse';
import { publishIdOf, sendPublishId } from './publishIdField';

export const CANCEL_PATH = '/v2/post/publish/cancel/';

export const option: INodePropertyOptions = {
	name: 'Cancel',
	value: 'cancel',
	description: 'Stop TikTok downloading a post created from a URL, if it has not finished yet',
	action: 'Cancel a post',
	routing: {
		request: { method: 'POST', url: CANCEL_PATH },
		send: { preSend: [sendPublishId] },
		output: { postReceive: [outputCancelled] },
	},
};

export async function outputCancelled(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return await settleRouted(this, async () => {
		const publishId = publishIdOf(this);
		await routedData(this, response, { path: CANCEL_PATH, body: { publish_id: publishId } });
		return [{ json: { publish_id: publishId, cancelled: true } }];
	});
}
