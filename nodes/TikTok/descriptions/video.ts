import type { INodeProperties } from 'n8n-workflow';

import { directPostFields, waitFields, waitOptionFields } from './commonFields';

const show = { resource: ['video'], operation: ['post'] };
const direct = { ...show, postMode: ['directPost'] };

export const videoOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['video'] } },
		options: [
			{
				name: 'Post',
				value: 'post',
				description: 'Post a video from a file (streamed in chunks) or a URL, directly or as a draft',
				action: 'Post a video',
				// Runs as a custom operation (see TikTok.node.ts): streamed, sequential, never posted twice.
			},
		],
		default: 'post',
	},
];

export const videoFields: INodeProperties[] = [
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
				name: 'URL',
				value: 'url',
				description: 'TikTok downloads the video from a URL on a domain verified in your TikTok app',
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
			'Public https URL TikTok downloads the video from. Its domain or URL prefix must be verified in your TikTok developer app; redirects are not followed.',
		displayOptions: { show: { ...show, videoSource: ['url'] } },
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
				typeOptions: { minValue: 0 },
				description: 'Time in the video of the frame used as cover (direct posts). Unset or invalid: the first frame.',
			},
			...waitOptionFields,
		],
	},
];
