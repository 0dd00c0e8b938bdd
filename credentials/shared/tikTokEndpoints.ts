/** TikTok's own API host; the credentials' `apiBaseUrl` defaults to it. */
export const TIKTOK_API_BASE_URL = 'https://open.tiktokapis.com';

/** TikTok serves its consent page from www.tiktok.com, not from the API host. */
export const TIKTOK_AUTHORIZE_URL = 'https://www.tiktok.com/v2/auth/authorize/';

export const GRANT_ENDPOINT_PATH = '/v2/oauth/token/';
export const CONSENT_PAGE_PATH = '/v2/auth/authorize/';
export const USER_INFO_PATH = '/v2/user/info/';

/** What both credentials ask for: post directly, upload drafts, and read the account label. */
export const TIKTOK_SCOPES = 'user.info.basic,video.publish,video.upload';

/** The field description shared by both credentials. */
export const API_BASE_URL_DESCRIPTION =
	'Leave as is for TikTok. Change it only to reach a TikTok-compatible proxy or a test server (such as the TikTok emulator that ships with this package).';

/** `apiBaseUrl` without trailing slashes, so paths can be appended to it. */
export function normalizeApiBaseUrl(apiBaseUrl: unknown): string {
	const configured = typeof apiBaseUrl === 'string' ? apiBaseUrl.trim() : '';
	return (configured || TIKTOK_API_BASE_URL).replace(/\/+$/, '');
}

/**
 * The same normalisation written as an n8n expression over the credential's own fields, for the
 * hidden OAuth2 fields that n8n resolves itself (authorize URL, token URL).
 */
const BASE_URL_EXPRESSION = `String($self["apiBaseUrl"] || "${TIKTOK_API_BASE_URL}").trim().replace(/\\/+$/, "")`;

export const AUTHORIZE_URL_EXPRESSION =
	`={{ ${BASE_URL_EXPRESSION} === "${TIKTOK_API_BASE_URL}" ` +
	`? "${TIKTOK_AUTHORIZE_URL}" : ${BASE_URL_EXPRESSION} + "${CONSENT_PAGE_PATH}" }}`;

/**
 * TikTok names the client `client_key`. n8n's OAuth2 refresh can only send `client_id`, so the
 * key also rides in the token URL's query string: the one place both n8n's code exchange and its
 * refresh put caller-controlled data (the exchange also gets it in the body, see the credential).
 */
export const TOKEN_URL_EXPRESSION =
	`={{ ${BASE_URL_EXPRESSION} + "${GRANT_ENDPOINT_PATH}?client_key=" + ` +
	'encodeURIComponent(String($self["clientId"] || "")) }}';

export const AUTHORIZE_QUERY_EXPRESSION =
	'={{ "client_key=" + encodeURIComponent(String($self["clientId"] || "")) }}';

export const EXCHANGE_BODY_EXPRESSION = '={{ JSON.stringify({ client_key: $self["clientId"] }) }}';
