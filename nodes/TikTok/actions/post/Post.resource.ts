import type { INodeProperties } from 'n8n-workflow';

import * as cancel from './cancel.operation';
import * as getStatus from './getStatus.operation';
import { publishIdField } from './publishIdField';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['post'] } },
		options: [getStatus.option, cancel.option],
		default: 'getStatus',
	},
	publishIdField,
	...getStatus.properties,
];

export { cancel, getStatus };
