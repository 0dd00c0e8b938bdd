import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodePropertyOptions } from 'n8n-workflow';

import { credentialTypeFor } from '../../transport/credentials';
import { tiktokApiRequest } from '../../transport/request';
import { runItemsTogether } from '../common/itemLoop';
import { ParameterReader } from '../common/parameterReader';
import { publishIdField, readPublishId } from './publishIdField';

export const CANCEL_PATH = '/v2/post/publish/cancel/';

export const option: INodePropertyOptions = {
	name: 'Cancel',
	value: 'cancel',
	description: 'Stop TikTok downloading a post created from a URL, if it has not finished yet',
	action: 'Cancel a post',
	// A custom operation (see TikTok.node.ts), like Get Status.
};

export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentialType = credentialTypeFor(this.getNodeParameter('authentication', 0, 'oAuth2'));
	return await runItemsTogether.call(this, async function (this: IExecuteFunctions, itemIndex: number): Promise<IDataObject> {
		const publishId = readPublishId(ParameterReader.forItem(this, itemIndex, [publishIdField]));
		await tiktokApiRequest.call(this, credentialType, { path: CANCEL_PATH, body: { publish_id: publishId } });
		return { publish_id: publishId, cancelled: true };
	});
}
