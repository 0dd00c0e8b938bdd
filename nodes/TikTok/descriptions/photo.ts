import type { INodeProperties } from 'n8n-workflow';

import { directPostFields, waitFields, waitOptionFields } from './commonFields';

const show = { resource: ['photo'], operation: ['post'] };
const direct = { ...show, photoPostMode: ['DIRECT_POST'] };

export const photoOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['photo'] } },
		options: [
			{
				name: 'Post',
				value: 'post',
				description: 'Post 1 to 35 photos from URLs as a photo post, directly or as a draft',
				action: 'Post photos',
				// Runs as a custom operation (see TikTok.node.ts), like Post Video.
			},
		],
		default: 'post',
	},
];

export const photoFields: INodeProperties[] = [
	{
		displayName: 'Photo URLs',
		name: 'photoUrls',
		type: 'string',
		typeOptions: { multipleValues: true, multipleValueButtonText: 'Add Photo URL' },
		default: [],
		required: true,
		placeholder: 'e.g. https://media.example.com/photos/1.jpg',
		description:
			'1 to 35 JPEG or WebP image URLs (max 1080p, 20 MB each) on a domain verified in your TikTok app. Also accepts an expression returning an array.',
		displayOptions: { show },
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
