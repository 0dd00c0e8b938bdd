import type { INodeProperties } from 'n8n-workflow';

import * as getInfo from './getInfo.operation';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['creator'] } },
		options: [getInfo.option],
		default: 'getInfo',
	},
];
