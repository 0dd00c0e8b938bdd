import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import {
	assertCoverIndex,
	assertTextWithinLimit,
	normalizePhotoUrls,
	PHOTO_DESCRIPTION_MAX,
	PHOTO_TITLE_MAX,
	type CreatorInfo,
} from '../../shared/validation';
import { credentialTypeFor, type TikTokCredentialType } from '../../transport/credentials';
import { tiktokApiRequest } from '../../transport/request';
import { TikTokNodeError } from '../../transport/tiktokError';
import { fetchCreatorInfo } from '../creatorInfo';
import { runItemsInOrder } from '../itemError';
import { checkSettingsForCreator, checkSettingsLocally, commonPostInfo, type DirectPostSettings } from '../postSettings';
import { fetchPublishStatus, shapePublishStatus, waitForFinalStatus } from '../publishStatus';

export const CONTENT_INIT_PATH = '/v2/post/publish/content/init/';

/**
 * Post Photos runs as a custom operation, like Post Video: posts go one after another (TikTok
 * allows 6 inits a minute), an init is never repeated, and under Continue On Fail each failed
 * item keeps TikTok's code, log_id and hint (the routing engine would keep only the message).
 */
export async function postPhotos(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentialType = credentialTypeFor(this.getNodeParameter('authentication', 0, 'oAuth2'));
	return await runItemsInOrder.call(this, async function (this: IExecuteFunctions, itemIndex: number) {
		return await postOnePhotoSet.call(this, credentialType, itemIndex);
	});
}

async function postOnePhotoSet(
	this: IExecuteFunctions,
	credentialType: TikTokCredentialType,
	itemIndex: number,
): Promise<JsonObject> {
	const get = (name: string, fallback: unknown) => this.getNodeParameter(name, itemIndex, fallback);
	const postMode = get('photoPostMode', 'DIRECT_POST') === 'MEDIA_UPLOAD' ? 'MEDIA_UPLOAD' : 'DIRECT_POST';
	const direct = postMode === 'DIRECT_POST';

	// 1. Everything that can be checked without TikTok, before any call.
	const photoUrls = normalizePhotoUrls(get('photoUrls', []));
	const coverIndex = assertCoverIndex(get('photoCoverIndex', 0), photoUrls.length);
	const postInfo: IDataObject = {};
	const title = String(get('title', '') ?? '');
	const description = String(get('description', '') ?? '');
	assertTextWithinLimit(title, PHOTO_TITLE_MAX, 'Title');
	assertTextWithinLimit(description, PHOTO_DESCRIPTION_MAX, 'Description');
	if (title) postInfo.title = title;
	if (description) postInfo.description = description;
	let settings: DirectPostSettings | undefined;
	if (direct) {
		settings = {
			privacyLevel: get('privacyLevel', '') as DirectPostSettings['privacyLevel'],
			allowComments: get('allowComments', false) === true,
			commercialContent: get('commercialContent', false) === true,
			yourBrand: get('yourBrand', false) === true,
			brandedContent: get('brandedContent', false) === true,
			isAigc: get('isAigc', false) === true,
		};
		checkSettingsLocally(settings);
	}

	// 2. Direct posts: TikTok wants creator_info first; check the choices against it.
	let creator: CreatorInfo | undefined;
	if (settings) {
		creator = await fetchCreatorInfo.call(this, credentialType);
		checkSettingsForCreator(settings, creator);
		Object.assign(postInfo, commonPostInfo(settings), { auto_add_music: get('autoAddMusic', false) === true });
	}

	// 3. Init: creates the post; never repeated when its outcome is unknown (see transport).
	const body: IDataObject = {
		media_type: 'PHOTO',
		post_mode: postMode,
		post_info: postInfo,
		source_info: { source: 'PULL_FROM_URL', photo_images: photoUrls, photo_cover_index: coverIndex },
	};
	// TikTok's 2026-09 photo reference lists is_aigc at the top level of the body.
	if (settings?.isAigc) body.is_aigc = true;
	const init = await tiktokApiRequest.call(this, credentialType, { path: CONTENT_INIT_PATH, body, kind: 'init' });
	const publishId = String(init.publish_id ?? '');

	// 4. The new post's status, or its final state when asked to wait.
	const result: JsonObject = { post_mode: postMode, source: 'PULL_FROM_URL' };
	if (creator?.creator_nickname) result.creator_nickname = creator.creator_nickname;
	let failure: unknown;
	try {
		const options = get('options', {}) as IDataObject;
		const status = get('waitForCompletion', false) === true
			? await waitForFinalStatus.call(this, credentialType, publishId, {
					timeoutSeconds: Number(options.waitTimeoutMinutes ?? 10) * 60,
					pollIntervalSeconds: Number(options.pollIntervalSeconds ?? 5),
					awaitPublicPostId: settings?.privacyLevel === 'PUBLIC_TO_EVERYONE',
				})
			: await fetchPublishStatus.call(this, credentialType, publishId);
		return { ...result, ...(shapePublishStatus(publishId, status, creator?.creator_username) as JsonObject) };
	} catch (error) {
		failure = error;
	}
	// The post exists: whatever failed afterwards must name it, so nobody posts it again.
	throw namingPost(failure, publishId, this);
}

function namingPost(error: unknown, publishId: string, ctx: IExecuteFunctions): unknown {
	if (!(error instanceof TikTokNodeError) || error.tiktok.publishId) return error;
	return new TikTokNodeError(ctx.getNode(), { ...error.tiktok, publishId });
}
