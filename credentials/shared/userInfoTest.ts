import type { ICredentialTestRequest } from 'n8n-workflow';

import { TIKTOK_API_BASE_URL, USER_INFO_PATH } from './tikTokEndpoints';

/**
 * The credential dialog's Test: a real call to TikTok's user info, which needs a valid access
 * token holding user.info.basic. n8n reports a failed HTTP call by its status text alone, so a 401
 * gets a message that says what it means here.
 */
export function userInfoTestRequest(reconnectAdvice: string): ICredentialTestRequest {
	return {
		request: {
			baseURL: `={{ $credentials.apiBaseUrl || "${TIKTOK_API_BASE_URL}" }}`,
			url: USER_INFO_PATH,
			method: 'GET',
			qs: { fields: 'open_id,display_name' },
		},
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message: `TikTok refused the access token (HTTP 401): the account has not granted user.info.basic to this app, or it removed the app's access. ${reconnectAdvice}`,
				},
			},
		],
	};
}
