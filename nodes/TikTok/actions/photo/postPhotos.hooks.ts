import type {
	IDataObject,
	IExecuteSingleFunctions,
	IHttpRequestOptions,
	IN8nHttpFullResponse,
	INodeExecutionData,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import {
	assertCoverIndex,
	assertTextWithinLimit,
	normalizePhotoUrls,
	PHOTO_DESCRIPTION_MAX,
	PHOTO_TITLE_MAX,
} from '../../shared/validation';
import { tiktokApiRequest } from '../../transport/request';
import { TikTokNodeError } from '../../transport/tiktokError';
import { fetchCreatorInfo } from '../creatorInfo';
import { toItemError } from '../itemError';
import { checkSettingsForCreator, checkSettingsLocally, commonPostInfo, type DirectPostSettings } from '../postSettings';
import { STATUS_PATH, shapePublishStatus, waitForFinalStatus } from '../publishStatus';
import { routedCredentialType, routedData } from '../routedResponse';

export const CONTENT_INIT_PATH = '/v2/post/publish/content/init/';

interface PhotoPost {
	publishId: string;
	postMode: string;
	username?: string;
	nickname?: string;
}

/** The post a routed item created in preSend, read back in postReceive (same item context). */
const createdPosts = new WeakMap<object, PhotoPost>();

/**
 * Validates the photo post, checks it against the creator, then creates it through the transport
 * (which never repeats an init whose outcome is unknown). The routed request itself is turned into
 * a status read of the new post, the pattern n8n's own declarative upload nodes use.
 */
export async function createPhotoPost(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	try {
		const credentialType = routedCredentialType(this);
		const routed = (requestOptions.body ?? {}) as IDataObject;
		const postMode = this.getNodeParameter('photoPostMode', 'DIRECT_POST') as string;
		const direct = postMode === 'DIRECT_POST';

		const photoUrls = normalizePhotoUrls(this.getNodeParameter('photoUrls', []));
		const coverIndex = assertCoverIndex(this.getNodeParameter('photoCoverIndex', 0), photoUrls.length);
		const postInfo: IDataObject = { ...((routed.post_info as IDataObject) ?? {}) };
		for (const key of ['title', 'description']) {
			if (typeof postInfo[key] !== 'string' || (postInfo[key] as string) === '') delete postInfo[key];
		}
		assertTextWithinLimit(String(postInfo.title ?? ''), PHOTO_TITLE_MAX, 'Title');
		assertTextWithinLimit(String(postInfo.description ?? ''), PHOTO_DESCRIPTION_MAX, 'Description');

		let creator;
		if (direct) {
			const settings: DirectPostSettings = {
				privacyLevel: this.getNodeParameter('privacyLevel', '') as DirectPostSettings['privacyLevel'],
				allowComments: this.getNodeParameter('allowComments', false) === true,
				commercialContent: this.getNodeParameter('commercialContent', false) === true,
				yourBrand: this.getNodeParameter('yourBrand', false) === true,
				brandedContent: this.getNodeParameter('brandedContent', false) === true,
				isAigc: this.getNodeParameter('isAigc', false) === true,
			};
			checkSettingsLocally(settings);
			creator = await fetchCreatorInfo.call(this, credentialType);
			checkSettingsForCreator(settings, creator);
			Object.assign(postInfo, commonPostInfo(settings));
		}

		const body: IDataObject = {
			media_type: 'PHOTO',
			post_mode: postMode,
			post_info: postInfo,
			source_info: { source: 'PULL_FROM_URL', photo_images: photoUrls, photo_cover_index: coverIndex },
		};
		if (direct && routed.is_aigc === true) body.is_aigc = true;
		const init = await tiktokApiRequest.call(this, credentialType, { path: CONTENT_INIT_PATH, body, kind: 'init' });
		const publishId = String(init.publish_id ?? '');
		createdPosts.set(this, {
			publishId,
			postMode,
			username: creator?.creator_username,
			nickname: creator?.creator_nickname,
		});
		return { ...requestOptions, method: 'POST', url: STATUS_PATH, body: { publish_id: publishId } };
	} catch (error) {
		throw toItemError(this.getNode(), error, this.getItemIndex());
	}
}

export async function outputPhotoPost(
	this: IExecuteSingleFunctions,
	_items: INodeExecutionData[],
	response: IN8nHttpFullResponse,
): Promise<INodeExecutionData[]> {
	const post = createdPosts.get(this);
	if (!post) throw new NodeOperationError(this.getNode(), 'Photo post state missing'); // preSend always runs first
	const credentialType = routedCredentialType(this);
	let data: IDataObject;
	try {
		data = await routedData(this, response, { path: STATUS_PATH, body: { publish_id: post.publishId } });
		if (this.getNodeParameter('waitForCompletion', false) === true) {
			const options = this.getNodeParameter('options', {}) as IDataObject;
			data = await waitForFinalStatus.call(this, credentialType, post.publishId, {
				timeoutSeconds: Number(options.waitTimeoutMinutes ?? 10) * 60,
				pollIntervalSeconds: Number(options.pollIntervalSeconds ?? 5),
				awaitPublicPostId: this.getNodeParameter('privacyLevel', '') === 'PUBLIC_TO_EVERYONE',
			});
		}
	} catch (error) {
		// The post exists: whatever failed afterwards must name it, so nobody posts it again.
		const named =
			error instanceof TikTokNodeError && !error.tiktok.publishId
				? new TikTokNodeError(this.getNode(), { ...error.tiktok, publishId: post.publishId })
				: error;
		throw toItemError(this.getNode(), named, this.getItemIndex());
	}
	const json: IDataObject = {
		post_mode: post.postMode,
		source: 'PULL_FROM_URL',
		...(post.nickname ? { creator_nickname: post.nickname } : {}),
		...shapePublishStatus(post.publishId, data, post.username),
	};
	return [{ json }];
}
