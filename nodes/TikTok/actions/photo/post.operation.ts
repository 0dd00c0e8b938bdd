import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';

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
import { fetchCreatorInfo } from '../common/creatorInfo';
import { runPostItems } from '../common/itemLoop';
import { ParameterReader } from '../common/parameterReader';
import { assertAllowedAsTool } from '../common/toolUse';
import type { PostLedger } from '../common/postLedger';
import { directPostFields, draftNotice, readWaitRequest, waitFields, waitOptionFields, type WaitRequest } from '../common/postFields';
import { checkSettingsForCreator, commonPostInfo, readDirectPostSettings, type DirectPostSettings } from '../common/postSettings';
import { fetchPublishStatus, namingThePost, shapePublishStatus, waitForFinalStatus } from '../common/publishStatus';
import { TikTokNodeError } from '../../transport/tiktokError';
import { settle } from '../../shared/settle';
import { imageWhereDownloadStopped, servePhotos, type ServedPhoto } from './binaryPhotos';

export const CONTENT_INIT_PATH = '/v2/post/publish/content/init/';

const show = { resource: ['photo'], operation: ['post'] };
const direct = { ...show, photoPostMode: ['DIRECT_POST'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Photo Source',
		name: 'photoSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'URLs',
				value: 'url',
				description: 'TikTok downloads the photos from https URLs on a domain or URL prefix verified in your TikTok app',
			},
			{
				name: 'Binary Files',
				value: 'binary',
				description: 'Images from earlier nodes: n8n serves them to TikTok at signed URLs under its own address (verify that prefix once)',
			},
		],
		default: 'url',
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Fields',
		name: 'binaryPropertyNames',
		type: 'string',
		default: '',
		placeholder: 'e.g. data, image_1',
		description:
			'The item\'s binary fields holding the images, in post order, separated by commas. Empty: every binary field of the item. To post images from several items together, combine them first (Aggregate node, "Include Binaries").',
		displayOptions: { show: { ...show, photoSource: ['binary'] } },
	},
	{
		displayName:
			'TikTok downloads the images from n8n: n8n must be reachable from the internet over https at its webhook URL (WEBHOOK_URL), keep binary data in filesystem, database or S3 mode, and the URL prefix <code>&lt;your n8n URL&gt;/rest/binary-data/</code> must be verified in your TikTok app (URL properties). The node waits until TikTok has fetched them.',
		name: 'binaryPhotosNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { ...show, photoSource: ['binary'] } },
	},
	{
		displayName: 'Photo URLs',
		name: 'photoUrls',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Photo URL' },
		default: [],
		required: true,
		placeholder: 'e.g. https://media.example.com/photos/1.jpg',
		description:
			'1 to 35 JPEG or WebP image URLs (https, max 1080p, 20 MB each) on a domain verified in your TikTok app. Also accepts an expression returning an array.',
		displayOptions: { show: { ...show, photoSource: ['url'] } },
	},
	{
		displayName: 'Cover Index',
		name: 'photoCoverIndex',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0, maxValue: 34, numberPrecision: 0 },
		description: 'Which photo is the cover, counting from 0 (the first URL)',
		displayOptions: { show },
	},
	{
		displayName: 'Post Mode',
		name: 'photoPostMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Direct Post',
				value: 'DIRECT_POST',
				description: 'Publish on the creator\'s profile (needs the video.publish scope)',
			},
			{
				name: 'Upload as Draft',
				value: 'MEDIA_UPLOAD',
				description: 'Send to the creator\'s TikTok inbox to finish in the app (needs video.upload)',
			},
		],
		default: 'DIRECT_POST',
		displayOptions: { show },
	},
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		default: '',
		description: 'Short title, up to 90 characters (UTF-16 units)',
		displayOptions: { show },
	},
	{
		displayName: 'Description',
		name: 'description',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The caption with #hashtags and @mentions, up to 4,000 characters (UTF-16 units)',
		displayOptions: { show },
	},
	...directPostFields(direct, { duetAndStitch: false }),
	draftNotice({ ...show, photoPostMode: ['MEDIA_UPLOAD'] }),
	{
		displayName: 'Auto Add Music',
		name: 'autoAddMusic',
		type: 'boolean',
		default: false,
		description: 'Whether TikTok adds recommended music (the creator can change it later)',
		displayOptions: { show: direct },
	},
	...waitFields(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [...waitOptionFields],
	},
];

interface PhotoPostRequest {
	postMode: 'DIRECT_POST' | 'MEDIA_UPLOAD';
	source: 'url' | 'binary';
	/** Photo Source "URLs": the URLs; "Binary Files": which binary fields (empty: all). */
	photoUrls: string[];
	binaryFields: string;
	coverIndex: number;
	title: string;
	description: string;
	settings?: DirectPostSettings;
	autoAddMusic: boolean;
	wait?: WaitRequest;
}

function readRequest(reader: ParameterReader): PhotoPostRequest {
	const postMode = reader.option<'DIRECT_POST' | 'MEDIA_UPLOAD'>('photoPostMode');
	const source = reader.option<'url' | 'binary'>('photoSource');
	const photoUrls = source === 'url' ? normalizePhotoUrls(reader.raw('photoUrls', [])) : [];
	const request: PhotoPostRequest = {
		postMode,
		source,
		photoUrls,
		binaryFields: source === 'binary' ? reader.text('binaryPropertyNames', { trim: true }) : '',
		// Checked against the number of images once they are known (binary fields are read later).
		coverIndex: source === 'url' ? assertCoverIndex(reader.raw('photoCoverIndex', 0), photoUrls.length) : 0,
		title: reader.text('title'),
		description: reader.text('description'),
		autoAddMusic: false,
		wait: readWaitRequest(reader),
	};
	assertTextWithinLimit(request.title, PHOTO_TITLE_MAX, 'Title');
	assertTextWithinLimit(request.description, PHOTO_DESCRIPTION_MAX, 'Description');
	if (postMode === 'DIRECT_POST') {
		request.settings = readDirectPostSettings(reader, { duetAndStitch: false });
		request.autoAddMusic = reader.boolean('autoAddMusic');
	}
	return request;
}

/**
 * Post Photos runs as a custom operation, like Post Video: posts go one after another (TikTok
 * allows 6 inits a minute), an init is never repeated, and under Continue On Fail each failed
 * item keeps TikTok's code, log_id and hint (the routing engine would keep only the message).
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentialType = credentialTypeFor(this.getNodeParameter('authentication', 0, 'oAuth2'));
	return await runPostItems.call(this, async function (this: IExecuteFunctions, itemIndex: number, ledger: PostLedger) {
		return await postOnePhotoSet.call(this, credentialType, itemIndex, ledger);
	});
}

async function postOnePhotoSet(
	this: IExecuteFunctions,
	credentialType: TikTokCredentialType,
	itemIndex: number,
	ledger: PostLedger,
): Promise<JsonObject> {
	// 1. Everything that can be checked without TikTok, before any call.
	const reader = ParameterReader.forItem(this, itemIndex, properties);
	const request = readRequest(reader);
	assertAllowedAsTool(this, { binarySource: request.source === 'binary' });
	let served: ServedPhoto[] | undefined;
	if (request.source === 'binary') {
		served = await servePhotos.call(this, itemIndex, request.binaryFields);
		request.photoUrls = served.map((photo) => photo.url);
		request.coverIndex = assertCoverIndex(reader.raw('photoCoverIndex', 0), served.length);
		// n8n serves the images only while it keeps the execution's binary data: wait until TikTok
		// has them (and its verdict), whatever "Wait for Completion" says.
		request.wait ??= { timeoutSeconds: 10 * 60, pollIntervalSeconds: 5 };
	}
	const postInfo: IDataObject = {};
	if (request.title) postInfo.title = request.title;
	if (request.description) postInfo.description = request.description;

	// 2. Direct posts: TikTok wants creator_info first; check the choices against it.
	let creator: CreatorInfo | undefined;
	if (request.settings) {
		creator = await fetchCreatorInfo.call(this, credentialType);
		checkSettingsForCreator(request.settings, creator);
		Object.assign(postInfo, commonPostInfo(request.settings), { auto_add_music: request.autoAddMusic });
	}

	// 3. Init: creates the post. From here on the post may exist (see PostLedger).
	const body: IDataObject = {
		media_type: 'PHOTO',
		post_mode: request.postMode,
		post_info: postInfo,
		source_info: { source: 'PULL_FROM_URL', photo_images: request.photoUrls, photo_cover_index: request.coverIndex },
	};
	// TikTok's 2026-09 photo reference lists is_aigc at the top level of the body.
	if (request.settings?.isAigc) body.is_aigc = true;
	ledger.sending(itemIndex);
	const init = await tiktokApiRequest.call(this, credentialType, { path: CONTENT_INIT_PATH, body, kind: 'init' });
	const publishId = String(init.publish_id ?? '');
	ledger.created(itemIndex, publishId);

	// 4. The new post's status, or its final state when asked to wait.
	return await namingThePost(this, publishId, async () => {
		if (served) return await withImageNamed(this, served, async () => await statusOf(this, credentialType, publishId, request, creator));
		return await statusOf(this, credentialType, publishId, request, creator);
	});
}

async function statusOf(
	ctx: IExecuteFunctions,
	credentialType: TikTokCredentialType,
	publishId: string,
	request: PhotoPostRequest,
	creator: CreatorInfo | undefined,
): Promise<JsonObject> {
	const result: JsonObject = { post_mode: request.postMode, source: 'PULL_FROM_URL' };
	if (creator?.creator_nickname) result.creator_nickname = creator.creator_nickname;
	const status = request.wait
		? await waitForFinalStatus.call(ctx, credentialType, publishId, {
				...request.wait,
				awaitPublicPostId: request.settings?.privacyLevel === 'PUBLIC_TO_EVERYONE',
			})
		: await fetchPublishStatus.call(ctx, credentialType, publishId);
	return { ...result, ...(shapePublishStatus(publishId, status, creator?.creator_username) as JsonObject) };
}

/**
 * TikTok says only that a pull failed; the bytes it fetched (in image order) tell which image, and
 * for images served by n8n the likely causes are n8n's own address and settings.
 */
async function withImageNamed(ctx: IExecuteFunctions, photos: ServedPhoto[], steps: () => Promise<JsonObject>): Promise<JsonObject> {
	const outcome = await settle(steps);
	if (outcome.ok) return outcome.value;
	const error = outcome.error;
	if (!(error instanceof TikTokNodeError)) throw error;
	const failure = { ...error.tiktok };
	if (failure.code === 'photo_pull_failed') {
		const stopped = imageWhereDownloadStopped(photos, failure.downloadedBytes);
		if (stopped) failure.message = `${failure.message} The download stopped at ${stopped.label}.`;
		failure.hint = `${failure.hint} For images served by n8n: n8n must be reachable from the internet over https at its webhook URL (WEBHOOK_URL), the prefix <your n8n URL>/rest/binary-data/ must be verified in your TikTok app, and the execution's binary data must still exist.`;
	} else if (failure.code === 'picture_size_check_failed') {
		const largest = [...photos].sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0))[0];
		if (largest?.width) failure.message = `${failure.message} The largest is ${largest.label}: ${largest.width}×${largest.height} px.`;
	}
	throw new TikTokNodeError(ctx.getNode(), failure);
}
