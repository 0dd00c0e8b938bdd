import type { IDataObject } from 'n8n-workflow';

import type { CreatorInfo } from '../../shared/validation';
import type { TikTokCredentialType } from '../../transport/credentials';
import { tiktokApiRequest, type TikTokContext } from '../../transport/request';

export const CREATOR_INFO_PATH = '/v2/post/publish/creator_info/query/';

/** TikTok requires a fresh creator_info before every direct post (and it tells who will receive it). */
export async function fetchCreatorInfo(
	this: TikTokContext,
	credentialType: TikTokCredentialType,
	call: { interactive?: boolean } = {},
): Promise<CreatorInfo & IDataObject> {
	const data = await tiktokApiRequest.call(this, credentialType, { path: CREATOR_INFO_PATH, ...call });
	const options = Array.isArray(data.privacy_level_options) ? data.privacy_level_options.map(String) : [];
	return { ...data, privacy_level_options: options };
}
