import type { IDataObject, IExecuteFunctions, INodeExecutionData, JsonObject } from 'n8n-workflow';

import { planChunks, DEFAULT_CHUNK_BYTES, type ChunkPlan } from '../../shared/chunkPlan';
import { DURATION_PROBE_BYTES, readContainerDurationSeconds } from '../../shared/containerDuration';
import { assertTextWithinLimit, assertMediaUrl, assertVideoDuration, VIDEO_TITLE_MAX, type CreatorInfo } from '../../shared/validation';
import { credentialTypeFor, type TikTokCredentialType } from '../../transport/credentials';
import { tiktokApiRequest } from '../../transport/request';
import { uploadChunks } from '../../transport/uploadChunks';
import { fetchCreatorInfo } from '../creatorInfo';
import { runItemsInOrder } from '../itemError';
import { checkSettingsForCreator, checkSettingsLocally, commonPostInfo, type DirectPostSettings } from '../postSettings';
import { shapePublishStatus, waitForFinalStatus } from '../publishStatus';
import { openBinaryVideo, openChunks, type BinaryVideo, type OpenedChunks } from './binaryVideo';

const DIRECT_INIT_PATH = '/v2/post/publish/video/init/';
const DRAFT_INIT_PATH = '/v2/post/publish/inbox/video/init/';

/**
 * Post Video runs as a custom operation: items go one after another (bounded memory, TikTok's
 * 6 inits/minute), each streamed to TikTok in planned chunks. The other operations are routed.
 */
export async function postVideo(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const credentialType = credentialTypeFor(this.getNodeParameter('authentication', 0, 'oAuth2'));
	return await runItemsInOrder.call(this, async function (this: IExecuteFunctions, itemIndex: number) {
		return await postOneVideo.call(this, credentialType, itemIndex);
	});
}

interface VideoRequest {
	source: 'binary' | 'url';
	mode: 'directPost' | 'draft';
	settings?: DirectPostSettings;
	title: string;
	coverTimestampMs?: number;
	chunkSize: number;
	wait: boolean;
	timeoutSeconds: number;
	pollIntervalSeconds: number;
}

function readParameters(ctx: IExecuteFunctions, itemIndex: number): VideoRequest {
	const get = (name: string, fallback: unknown) => ctx.getNodeParameter(name, itemIndex, fallback);
	const mode = get('postMode', 'directPost') === 'draft' ? 'draft' : 'directPost';
	const options = get('options', {}) as IDataObject;
	const request: VideoRequest = {
		source: get('videoSource', 'binary') === 'url' ? 'url' : 'binary',
		mode,
		title: mode === 'directPost' ? String(get('title', '') ?? '') : '',
		chunkSize:
			typeof options.chunkSizeMb === 'number' ? Math.round(options.chunkSizeMb * 1024 * 1024) : DEFAULT_CHUNK_BYTES,
		wait: get('waitForCompletion', false) === true,
		timeoutSeconds: Number(options.waitTimeoutMinutes ?? 10) * 60,
		pollIntervalSeconds: Number(options.pollIntervalSeconds ?? 5),
	};
	if (mode === 'directPost') {
		request.settings = {
			privacyLevel: get('privacyLevel', '') as DirectPostSettings['privacyLevel'],
			allowComments: get('allowComments', false) === true,
			allowDuet: get('allowDuet', false) === true,
			allowStitch: get('allowStitch', false) === true,
			commercialContent: get('commercialContent', false) === true,
			yourBrand: get('yourBrand', false) === true,
			brandedContent: get('brandedContent', false) === true,
			isAigc: get('isAigc', false) === true,
		};
		if (typeof options.videoCoverTimestampMs === 'number') request.coverTimestampMs = options.videoCoverTimestampMs;
	}
	return request;
}

async function postOneVideo(
	this: IExecuteFunctions,
	credentialType: TikTokCredentialType,
	itemIndex: number,
): Promise<JsonObject> {
	const request = readParameters(this, itemIndex);

	// 1. Everything that can be checked without TikTok, before any call.
	if (request.settings) {
		checkSettingsLocally(request.settings);
		assertTextWithinLimit(request.title, VIDEO_TITLE_MAX, 'Caption');
	}
	let video: BinaryVideo | undefined;
	let plan: ChunkPlan | undefined;
	let videoUrl: string | undefined;
	if (request.source === 'binary') {
		const property = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
		video = await openBinaryVideo.call(this, itemIndex, property);
		plan = planChunks(video.size, request.chunkSize);
	} else {
		videoUrl = assertMediaUrl(String(this.getNodeParameter('videoUrl', itemIndex, '')), 'Video URL');
	}

	let opened: OpenedChunks | undefined;
	let creator: CreatorInfo | undefined;
	let publishId: string;
	let result: JsonObject;
	try {
		// 2. Direct posts: TikTok wants creator_info first; check the choices against it. The
		// duration is read from the first chunk, which the upload then sends as it is.
		if (request.settings) {
			creator = await fetchCreatorInfo.call(this, credentialType);
			checkSettingsForCreator(request.settings, creator);
			if (video && plan) {
				opened = await openChunks(video, plan);
				assertVideoDuration(readContainerDurationSeconds(opened.first.body.subarray(0, DURATION_PROBE_BYTES)), creator);
			}
		}

		// 3. Init: creates the post. Never repeated when its outcome is unknown (see transport).
		const body: IDataObject = { source_info: sourceInfo(plan, videoUrl) };
		if (request.settings) body.post_info = videoPostInfo(request);
		const init = await tiktokApiRequest.call(this, credentialType, {
			path: request.settings ? DIRECT_INIT_PATH : DRAFT_INIT_PATH,
			body,
			kind: 'init',
		});
		publishId = String(init.publish_id ?? '');

		// 4. Bytes: sequential chunk PUTs to the upload URL (which carries its own token).
		result = {
			publish_id: publishId,
			post_mode: request.settings ? 'DIRECT_POST' : 'DRAFT',
			source: request.source === 'binary' ? 'FILE_UPLOAD' : 'PULL_FROM_URL',
		};
		if (creator?.creator_nickname) result.creator_nickname = creator.creator_nickname;
		if (video && plan) {
			const upload = await uploadChunks.call(
				this,
				{ uploadUrl: String(init.upload_url ?? ''), publishId, contentType: video.contentType, plan },
				opened ? opened.all : video.chunks(plan),
			);
			Object.assign(result, {
				video_size: plan.videoSize,
				chunk_size: plan.chunkSize,
				total_chunk_count: plan.totalChunkCount,
				upload_retries: upload.retries,
			});
		}
	} finally {
		// Closes n8n's stream when the post stopped before the upload took the chunks over.
		await opened?.close();
	}

	// 5. Optionally wait for TikTok's verdict.
	if (!request.wait) return result;
	const status = await waitForFinalStatus.call(this, credentialType, publishId, {
		timeoutSeconds: request.timeoutSeconds,
		pollIntervalSeconds: request.pollIntervalSeconds,
		awaitPublicPostId: request.settings?.privacyLevel === 'PUBLIC_TO_EVERYONE',
	});
	return { ...result, ...(shapePublishStatus(publishId, status, creator?.creator_username) as JsonObject) };
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

function videoPostInfo(request: VideoRequest): IDataObject {
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
