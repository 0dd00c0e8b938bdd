import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, JsonObject } from 'n8n-workflow';

import { DEFAULT_CHUNK_BYTES, planChunks, type ChunkPlan } from '../../shared/chunkPlan';
import { DURATION_PROBE_BYTES, readContainerDurationSeconds } from '../../shared/containerDuration';
import { confirmVideoContent } from '../../shared/mediaTypes';
import { assertMediaUrl, assertTextWithinLimit, assertVideoDuration, VIDEO_TITLE_MAX, type CreatorInfo } from '../../shared/validation';
import { credentialTypeFor, type TikTokCredentialType } from '../../transport/credentials';
import { tiktokApiRequest } from '../../transport/request';
import { uploadChunks } from '../../transport/uploadChunks';
import { fetchCreatorInfo } from '../common/creatorInfo';
import { runPostItems } from '../common/itemLoop';
import { ParameterReader } from '../common/parameterReader';
import { assertAllowedAsTool } from '../common/toolUse';
import type { PostLedger } from '../common/postLedger';
import { directPostFields, draftNotice, readWaitRequest, waitFields, waitOptionFields, type WaitRequest } from '../common/postFields';
import { checkSettingsForCreator, commonPostInfo, readDirectPostSettings, type DirectPostSettings } from '../common/postSettings';
import { namingThePost, shapePublishStatus, waitForFinalStatus } from '../common/publishStatus';
import { openBinaryVideo, openChunks, type OpenedChunks } from './binaryVideo';
import { assertDownloadUrl, openUrlVideo } from './urlVideo';

const DIRECT_INIT_PATH = '/v2/post/publish/video/init/';
const DRAFT_INIT_PATH = '/v2/post/publish/inbox/video/init/';

const show = { resource: ['video'], operation: ['post'] };
const direct = { ...show, postMode: ['directPost'] };

export const properties: INodeProperties[] = [
	{
		displayName: 'Video Source',
		name: 'videoSource',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Binary File',
				value: 'binary',
				description: 'A video file from an earlier node, uploaded to TikTok in chunks',
			},
			{
				name: 'URL, Pulled by TikTok',
				value: 'url',
				description: 'TikTok downloads the video from an https URL on a domain verified in your TikTok app',
			},
			{
				name: 'URL, Uploaded in Chunks',
				value: 'urlUpload',
				description:
					'The node downloads the video from any http(s) link and streams it to TikTok in chunks: no domain verification, nothing stored in n8n, any size TikTok accepts',
			},
		],
		default: 'binary',
		displayOptions: { show },
	},
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		hint: 'The name of the input binary field holding the video (MP4, MOV or WebM, up to 4 GB)',
		displayOptions: { show: { ...show, videoSource: ['binary'] } },
	},
	{
		displayName: 'Video URL',
		name: 'videoUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. https://media.example.com/videos/launch.mp4',
		description:
			'Pulled by TikTok: a public https URL on a domain or URL prefix verified in your TikTok developer app (redirects are not followed). Uploaded in chunks: any http(s) link n8n can download without signing in (redirects are followed).',
		displayOptions: { show: { ...show, videoSource: ['url', 'urlUpload'] } },
	},
	{
		displayName: 'Post Mode',
		name: 'postMode',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Direct Post',
				value: 'directPost',
				description: 'Publish on the creator\'s profile (needs the video.publish scope)',
			},
			{
				name: 'Upload as Draft',
				value: 'draft',
				description:
					'Send to the creator\'s TikTok inbox to edit and post in the app (needs video.upload). TikTok ignores caption and settings for drafts.',
			},
		],
		default: 'directPost',
		displayOptions: { show },
	},
	{
		displayName: 'Caption',
		name: 'title',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description: 'The video\'s caption, up to 2,200 characters (UTF-16 units), with #hashtags and @mentions separated by spaces',
		displayOptions: { show: direct },
	},
	...directPostFields(direct, { duetAndStitch: true }),
	draftNotice({ ...show, postMode: ['draft'] }),
	...waitFields(show),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Chunk Size (MB)',
				name: 'chunkSizeMb',
				type: 'number',
				default: 10,
				typeOptions: { minValue: 5, maxValue: 61, numberPrecision: 0 },
				description:
					'Size of each upload chunk in MiB (files up to 64 MB go in one piece). Memory used is about twice this. TikTok accepts 5–64 MB chunks.',
			},
			{
				displayName: 'Cover Frame (Milliseconds)',
				name: 'videoCoverTimestampMs',
				type: 'number',
				default: 0,
				typeOptions: { minValue: 0, numberPrecision: 0 },
				description: 'Time in the video of the frame used as cover (direct posts). Unset or invalid: the first frame.',
			},
			...waitOptionFields,
		],
	},
];

/** One item's request, read and typed before anything is sent. */
interface VideoPostRequest {
	source: 'binary' | 'url' | 'urlUpload';
	binaryPropertyName: string;
	videoUrl?: string;
	settings?: DirectPostSettings;
	title: string;
	coverTimestampMs?: number;
	chunkSize: number;
	wait?: WaitRequest;
}

function readRequest(reader: ParameterReader): VideoPostRequest {
	const source = reader.option<'binary' | 'url' | 'urlUpload'>('videoSource');
	const mode = reader.option<'directPost' | 'draft'>('postMode');
	const options = reader.raw('options', {}) as IDataObject;
	const request: VideoPostRequest = {
		source,
		binaryPropertyName: source === 'binary' ? reader.text('binaryPropertyName', { trim: true, fallback: 'data' }) : 'data',
		videoUrl:
			source === 'url'
				? assertMediaUrl(reader.raw('videoUrl', ''), 'Video URL')
				: source === 'urlUpload'
					? assertDownloadUrl(reader.raw('videoUrl', ''), 'Video URL')
					: undefined,
		title: '',
		chunkSize: Math.round(reader.number('options.chunkSizeMb', { unit: 'MiB', fallback: DEFAULT_CHUNK_BYTES / 2 ** 20 }) * 2 ** 20),
		wait: readWaitRequest(reader),
	};
	if (mode === 'directPost') {
		request.settings = readDirectPostSettings(reader, { duetAndStitch: true });
		request.title = reader.text('title');
		assertTextWithinLimit(request.title, VIDEO_TITLE_MAX, 'Caption');
		if (options.videoCoverTimestampMs !== undefined) request.coverTimestampMs = reader.number('options.videoCoverTimestampMs');
	}
	return request;
}

/**
 * Post Video runs as a custom operation: items go one after another (bounded memory, TikTok's
 * 6 inits a minute), each streamed to TikTok in planned chunks. The other operations are routed.
 */
export async function execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentialType = credentialTypeFor(this.getNodeParameter('authentication', 0, 'oAuth2'));
	return await runPostItems.call(this, async function (this: IExecuteFunctions, itemIndex: number, ledger: PostLedger) {
		return await postOneVideo.call(this, credentialType, itemIndex, ledger);
	});
}

async function postOneVideo(
	this: IExecuteFunctions,
	credentialType: TikTokCredentialType,
	itemIndex: number,
	ledger: PostLedger,
): Promise<JsonObject> {
	// 1. Everything that can be checked without TikTok, before any call.
	const request = readRequest(ParameterReader.forItem(this, itemIndex, properties));
	assertAllowedAsTool(this, { binarySource: request.source === 'binary' });
	const video =
		request.source === 'binary'
			? await openBinaryVideo.call(this, itemIndex, request.binaryPropertyName)
			: request.source === 'urlUpload'
				? await openUrlVideo.call(this, request.videoUrl as string)
				: undefined;
	const plan = video ? planChunks(video.size, request.chunkSize) : undefined;

	let opened: OpenedChunks | undefined;
	try {
		// 2. The first chunk, read now and sent first later: is it a video, and how long is it?
		let contentType = video?.contentType;
		if (video && plan) {
			opened = await openChunks(video, plan);
			contentType = confirmVideoContent(opened.first.body.subarray(0, 16), video.contentType);
		}

		// 3. Direct posts: TikTok wants creator_info first; check the choices against it.
		let creator: CreatorInfo | undefined;
		if (request.settings) {
			creator = await fetchCreatorInfo.call(this, credentialType);
			checkSettingsForCreator(request.settings, creator);
			if (opened) {
				assertVideoDuration(readContainerDurationSeconds(opened.first.body.subarray(0, DURATION_PROBE_BYTES)), creator);
			}
		}

		// 4. Init: creates the post. From here on the post may exist (see PostLedger).
		const body: IDataObject = { source_info: sourceInfo(plan, plan ? undefined : request.videoUrl) };
		if (request.settings) body.post_info = videoPostInfo(request);
		ledger.sending(itemIndex);
		const init = await tiktokApiRequest.call(this, credentialType, {
			path: request.settings ? DIRECT_INIT_PATH : DRAFT_INIT_PATH,
			body,
			kind: 'init',
		});
		const publishId = String(init.publish_id ?? '');
		ledger.created(itemIndex, publishId);

		return await namingThePost(this, publishId, async () => {
			const result: JsonObject = {
				publish_id: publishId,
				post_mode: request.settings ? 'DIRECT_POST' : 'DRAFT',
				source: plan ? 'FILE_UPLOAD' : 'PULL_FROM_URL',
			};
			if (creator?.creator_nickname) result.creator_nickname = creator.creator_nickname;

			// 5. Bytes: sequential chunk PUTs to the upload URL (which carries its own token).
			if (opened && plan && contentType) {
				const upload = await uploadChunks.call(
					this,
					{ uploadUrl: String(init.upload_url ?? ''), publishId, contentType, plan },
					opened.all,
				);
				Object.assign(result, {
					video_size: plan.videoSize,
					chunk_size: plan.chunkSize,
					total_chunk_count: plan.totalChunkCount,
					upload_retries: upload.retries,
				});
			}

			// 6. Optionally wait for TikTok's verdict.
			if (!request.wait) return result;
			const status = await waitForFinalStatus.call(this, credentialType, publishId, {
				...request.wait,
				awaitPublicPostId: request.settings?.privacyLevel === 'PUBLIC_TO_EVERYONE',
			});
			return { ...result, ...(shapePublishStatus(publishId, status, creator?.creator_username) as JsonObject) };
		});
	} finally {
		// Closes n8n's stream when the post stopped before the upload took the chunks over.
		await opened?.close();
	}
}

function sourceInfo(plan: ChunkPlan | undefined, videoUrl: string | undefined): IDataObject {
	if (plan) {
		return {
			source: 'FILE_UPLOAD',
			video_size: plan.videoSize,
			chunk_size: plan.chunkSize,
			total_chunk_count: plan.totalChunkCount,
		};
	}
	return { source: 'PULL_FROM_URL', video_url: videoUrl };
}

function videoPostInfo(request: VideoPostRequest): IDataObject {
	const settings = request.settings as DirectPostSettings;
	const postInfo: IDataObject = {
		...commonPostInfo(settings),
		disable_duet: !settings.allowDuet,
		disable_stitch: !settings.allowStitch,
		is_aigc: settings.isAigc,
	};
	if (request.title) postInfo.title = request.title;
	if (request.coverTimestampMs !== undefined) postInfo.video_cover_timestamp_ms = request.coverTimestampMs;
	return postInfo;
}
