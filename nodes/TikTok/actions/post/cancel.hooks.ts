import type { IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import { routedData, settleRouted } from '../routedResponse';
import { publishIdParameter } from './getStatus.hooks';

export const CANCEL_PATH = '/v2/post/publish/cancel/';

export async function outputCancelled(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const publishId = publishIdParameter(this);
	return await settleRouted(this, async () => {
		await routedData(this, response, { path: CANCEL_PATH, body: { publish_id: publishId } });
		return [{ json: { publish_id: publishId, cancelled: true } }];
	});
}
