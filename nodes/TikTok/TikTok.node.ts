import type { INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as creator from './actions/creator/Creator.resource';
import * as photo from './actions/photo/Photo.resource';
import * as post from './actions/post/Post.resource';
import * as video from './actions/video/Video.resource';
import { getPrivacyLevels } from './methods/privacyLevels';

export class TikTok implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikTok',
		name: 'tikTok',
		icon: { light: 'file:../../icons/tiktok.svg', dark: 'file:../../icons/tiktok.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Post videos and photos to TikTok and track their status (Content Posting API)',
		documentationUrl: 'https://github.com/n8n-nodes-tiktok-posting/n8n-nodes-tiktok-posting#readme',
		defaults: { name: 'TikTok' },
		// As an AI agent's tool (see README, AI agents): URL sources only, the user's privacy and
		// disclosure choices fixed; the model fills captions, URLs and publish_ids.
		usableAsTool: {
			replacements: {
				description:
					'Post a video (from an https link) or photos to TikTok, or check a post\'s status by its publish_id. Privacy and disclosure are set by the user.',
			},
		},
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'tikTokOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'tikTokRefreshTokenApi', required: true, displayOptions: { show: { authentication: ['refreshToken'] } } },
		],
		requestDefaults: {
			baseURL: '={{ String($credentials.apiBaseUrl || "https://open.tiktokapis.com").replace(/\\/+$/, "") }}',
			headers: { Accept: 'application/json', 'Content-Type': 'application/json; charset=UTF-8' },
			// TikTok's envelope must reach the postReceive hooks (which map its codes), as text so
			// that 19-digit post ids are parsed without losing digits.
			ignoreHttpStatusErrors: true,
			encoding: 'text',
			json: false,
			timeout: 60_000,
		},
		properties: [
			{
				displayName: 'Authentication',
				name: 'authentication',
				type: 'options',
				options: [
					{ name: 'OAuth2 (Connect Button)', value: 'oAuth2' },
					{ name: 'Refresh Token', value: 'refreshToken' },
				],
				default: 'oAuth2',
			},
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Creator', value: 'creator' },
					{ name: 'Photo', value: 'photo' },
					{ name: 'Post', value: 'post' },
					{ name: 'Video', value: 'video' },
				],
				default: 'video',
			},
			...creator.description,
			...video.description,
			...photo.description,
			...post.description,
		],
	};

	methods = { loadOptions: { getPrivacyLevels } };

	// Posts are several dependent calls, item by item, never repeated; Get Status and Cancel check
	// each item's input before calling TikTok and keep TikTok's error fields: custom operations.
	// Creator Info is declarative (routing on its operation option).
	customOperations = {
		video: { post: video.post.execute },
		photo: { post: photo.post.execute },
		post: { getStatus: post.getStatus.execute, cancel: post.cancel.execute },
	};
}
