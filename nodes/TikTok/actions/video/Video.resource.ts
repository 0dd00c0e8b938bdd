import type { INodeProperties } from 'n8n-workflow';

import * as post from './post.operation';

export const description: INodeProperties[] = [
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
	...post.properties,
];

export { post };
