import type { INodeProperties } from 'n8n-workflow';

import * as post from './post.operation';

export const description: INodeProperties[] = [
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
	...post.properties,
];

export { post };
