import type { IExecuteSingleFunctions, IN8nHttpFullResponse, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import { CREATOR_INFO_PATH } from '../common/creatorInfo';
import { routedData, settleRouted, takeTurn } from '../common/routedResponse';

export const option: INodePropertyOptions = {
	name: 'Get Info',
	value: 'getInfo',
	description:
		'Get the connected creator\'s nickname, username, avatar, privacy options, interaction settings and maximum video duration',
	action: 'Get creator info',
	routing: {
		request: { method: 'POST', url: CREATOR_INFO_PATH },
		send: { preSend: [takeTurn] },
		output: { postReceive: [outputCreatorInfo] },
	},
};

export async function outputCreatorInfo(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	return await settleRouted(this, async () => [
		{ json: await routedData(this, response, { path: CREATOR_INFO_PATH }) },
	]);
}
