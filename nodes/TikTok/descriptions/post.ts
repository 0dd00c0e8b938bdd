import type { INodeProperties } from 'n8n-workflow';

import { CANCEL_PATH, outputCancelled } from '../actions/post/cancel.hooks';
import { outputPublishStatus, requirePublishId } from '../actions/post/getStatus.hooks';
import { STATUS_PATH } from '../actions/publishStatus';
import { waitFields, waitOptionFields } from './commonFields';

export const postOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['post'] } },
		options: [
			{
				name: 'Get Status',
				value: 'getStatus',
				description: 'Get the publishing status of a post, with its public post IDs and URLs once available',
				action: 'Get post status',
				routing: {
					request: { method: 'POST', url: STATUS_PATH },
					send: { preSend: [requirePublishId] },
					output: { postReceive: [outputPublishStatus] },
				},
			},
			{
				name: 'Cancel',
				value: 'cancel',
				description: 'Stop TikTok downloading a post created from a URL, if it has not finished yet',
				action: 'Cancel a post',
				routing: {
					request: { method: 'POST', url: CANCEL_PATH },
					send: { preSend: [requirePublishId] },
					output: { postReceive: [outputCancelled] },
				},
			},
		],
		default: 'getStatus',
	},
];

export const postFields: INodeProperties[] = [
	{
		displayName: 'Publish ID',
		name: 'publishId',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'e.g. v_pub_file~v2-1.7123456789',
		description: 'The publish_id returned by Post Video or Post Photos',
		routing: { send: { type: 'body', property: 'publish_id', value: '={{ String($value).trim() }}' } },
		displayOptions: { show: { resource: ['post'] } },
	},
	...waitFields({ resource: ['post'], operation: ['getStatus'] }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: { resource: ['post'], operation: ['getStatus'], waitForCompletion: [true] } },
		options: [...waitOptionFields],
	},
];
