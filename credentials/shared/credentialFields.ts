import type { INodeProperties } from 'n8n-workflow';

import { API_BASE_URL_DESCRIPTION, TIKTOK_API_BASE_URL } from './tikTokEndpoints';

/** Fields both TikTok credentials show the same way. */
export const apiBaseUrlField: INodeProperties = {
	displayName: 'API Base URL',
	name: 'apiBaseUrl',
	type: 'string',
	default: TIKTOK_API_BASE_URL,
	description: API_BASE_URL_DESCRIPTION,
};

export const clientSecretField: INodeProperties = {
	displayName: 'Client Secret',
	name: 'clientSecret',
	type: 'string',
	typeOptions: { password: true },
	default: '',
	required: true,
	description: "The Client secret shown on your app's page in the TikTok developer portal",
};
