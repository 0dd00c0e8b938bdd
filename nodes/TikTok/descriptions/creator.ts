import type { INodeProperties } from 'n8n-workflow';

import { outputCreatorInfo } from '../actions/creator/getInfo.hooks';
import { CREATOR_INFO_PATH } from '../actions/creatorInfo';

export const creatorOperations: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['creator'] } },
		options: [
			{
				name: 'Get Info',
				value: 'getInfo',
				description:
					'Get the connected creator\'s nickname, username, avatar, privacy options, interaction settings and maximum video duration',
				action: 'Get creator info',
				routing: {
					request: { method: 'POST', url: CREATOR_INFO_PATH },
					output: { postReceive: [outputCreatorInfo] },
				},
			},
		],
		default: 'getInfo',
	},
];
