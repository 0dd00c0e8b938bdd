import type { IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData } from 'n8n-workflow';

import { CREATOR_INFO_PATH } from '../creatorInfo';
import { routedData, settleRouted } from '../routedResponse';

export async function outputCreatorInfo(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return await settleRouted(this, async () => [
		{ json: await routedData(this, response, { path: CREATOR_INFO_PATH }) },
	]);
}
