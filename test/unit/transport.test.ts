import { credentialFailureFromError } from '../../nodes/TikTok/transport/credentialFailure';
import { readEnvelope, responseFromError, statusFromWrappedError } from '../../nodes/TikTok/transport/response';
import { bytesReceived } from '../../nodes/TikTok/transport/uploadChunks';
import { networkReason } from '../../nodes/TikTok/transport/request';

describe('readEnvelope', () => {
	it('reads TikTok\'s envelope from text, keeping 19-digit ids exact', () => {
		const envelope = readEnvelope({
			statusCode: 200,
			headers: {},
			body: '{"data":{"status":"PUBLISH_COMPLETE","publicaly_available_post_id":[7345678901234567891]},"error":{"code":"ok","message":"","log_id":"L1"}}',
		});
		expect(envelope.code).toBe('ok');
		expect(envelope.data.publicaly_available_post_id).toEqual(['7345678901234567891']);
	});

	it('reads an error carried by HTTP 200', () => {
		const envelope = readEnvelope({
			statusCode: 200,
			headers: {},
			body: '{"data":{},"error":{"code":"spam_risk_too_many_posts","message":"m","log_id":"L2"}}',
		});
		expect(envelope).toMatchObject({ code: 'spam_risk_too_many_posts', message: 'm', logId: 'L2' });
	});

	it('reads the flat OAuth error shape', () => {
		const envelope = readEnvelope({
			statusCode: 400,
			headers: {},
			body: '{"error":"invalid_grant","error_description":"expired","log_id":"L3"}',
		});
		expect(envelope).toMatchObject({ code: 'invalid_grant', oauthError: 'invalid_grant', logId: 'L3' });
	});

	it('judges a body without an envelope by its status, taking log_id from the header', () => {
		expect(readEnvelope({ statusCode: 502, headers: { 'x-tt-logid': 'H1' }, body: '<html>bad gateway</html>' })).toMatchObject({
			code: 'http_502',
			logId: 'H1',
		});
		expect(readEnvelope({ statusCode: 500, headers: {}, body: '' }).code).toBe('http_500');
	});
});

describe('responseFromError', () => {
	it('finds the HTTP response however deep n8n wrapped it', () => {
		const axiosError = { response: { status: 401, data: '{"x":1}', headers: { a: 'b' } } };
		const wrapped = { message: 'outer', cause: { message: 'mid', cause: axiosError } };
		expect(responseFromError(wrapped)).toEqual({ statusCode: 401, body: '{"x":1}', headers: { a: 'b' } });
	});

	it('returns undefined for a network error without a response', () => {
		expect(responseFromError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBeUndefined();
	});
});

describe('credentialFailureFromError', () => {
	it('explains a refused OAuth2 refresh format as a reason to switch credential type', () => {
		const authError = { message: 'Failed', code: 'EAUTH', body: { error: 'invalid_request', error_description: 'client_key' } };
		const failure = credentialFailureFromError({ message: 'wrapper', cause: authError }, 'tikTokOAuth2Api');
		expect(failure?.code).toBe('invalid_request');
		expect(failure?.hint).toMatch(/Refresh Token/);
	});

	it('tells the user to reconnect when the grant is gone', () => {
		const failure = credentialFailureFromError(
			{ message: 'x', cause: { body: '{"error":"invalid_grant","log_id":"L9"}' } },
			'tikTokOAuth2Api',
		);
		expect(failure).toMatchObject({ code: 'invalid_grant', logId: 'L9' });
		expect(failure?.hint).toMatch(/reconnect|sign in|refresh token/i);
	});

	it('keeps the Refresh Token credential\'s own explanation', () => {
		const refreshError = Object.assign(new Error('TikTok no longer accepts this refresh token (invalid_grant)'), {
			name: 'TikTokTokenRefreshError',
			body: { error: 'invalid_grant', log_id: 'L7' },
			description: 'Paste a new refresh token.',
		});
		expect(credentialFailureFromError({ message: 'wrap', cause: refreshError }, 'tikTokRefreshTokenApi')).toEqual({
			code: 'invalid_grant',
			message: refreshError.message,
			hint: 'Paste a new refresh token.',
			logId: 'L7',
		});
	});

	it('recognises n8n\'s own "needs to be reconnected" error', () => {
		const failure = credentialFailureFromError(
			{ message: 'The credential "TikTok" needs to be reconnected.' },
			'tikTokOAuth2Api',
		);
		expect(failure?.code).toBe('credential_needs_reconnect');
	});

	it('leaves TikTok API errors and network errors alone', () => {
		expect(
			credentialFailureFromError({ message: '401', cause: { response: { status: 401, data: {} } } }, 'tikTokOAuth2Api'),
		).toBeUndefined();
		expect(credentialFailureFromError(new Error('socket hang up'), 'tikTokOAuth2Api')).toBeUndefined();
	});
});

describe('bytesReceived (upload progress from Content-Range)', () => {
	it('reads the bytes TikTok holds', () => {
		expect(bytesReceived('bytes 0-10485759/78643200')).toBe(10485760);
		expect(bytesReceived(['bytes 0-0/5'])).toBe(1);
	});

	it('reads "nothing yet" and ignores anything else', () => {
		expect(bytesReceived('bytes */78643200')).toBe(0);
		expect(bytesReceived(undefined)).toBeUndefined();
		expect(bytesReceived('garbage')).toBeUndefined();
	});
});

describe('credential failures as older n8n versions wrap them (no cause kept)', () => {
	it('reads n8n\'s OAuth2 EAUTH error from its text', () => {
		const wrapped = { message: 'Authorization failed', httpCode: 'EAUTH', description: 'invalid_request: client_key missing' };
		const failure = credentialFailureFromError(wrapped, 'tikTokOAuth2Api');
		expect(failure?.code).toBe('invalid_request');
		expect(failure?.hint).toMatch(/Refresh Token/);
		expect(credentialFailureFromError({ ...wrapped, description: 'invalid_grant' }, 'tikTokOAuth2Api')?.hint).toMatch(
			/connect it again/,
		);
	});

	it('reads the Refresh Token credential\'s error from its message and description', () => {
		const wrapped = {
			message: 'TikTok no longer accepts this refresh token (invalid_grant): revoked; log_id L1',
			description: 'Paste a new refresh token.',
			httpCode: null,
		};
		expect(credentialFailureFromError(wrapped, 'tikTokRefreshTokenApi')).toMatchObject({
			code: 'invalid_grant',
			hint: 'Paste a new refresh token.',
		});
	});

	it('does not take a TikTok API error for a refresh failure', () => {
		const apiError = { message: 'Forbidden - perhaps check your credentials?', description: 'The user did not authorize the scope', httpCode: '401' };
		expect(credentialFailureFromError(apiError, 'tikTokRefreshTokenApi')).toBeUndefined();
		expect(credentialFailureFromError(apiError, 'tikTokOAuth2Api')).toBeUndefined();
	});
});

describe('statusFromWrappedError', () => {
	it('keeps the status (and a parsed body) of an error whose response n8n dropped', () => {
		expect(statusFromWrappedError({ httpCode: '403', context: { data: { error: { code: 'x' } } } })).toEqual({
			statusCode: 403,
			body: { error: { code: 'x' } },
			headers: {},
		});
		expect(statusFromWrappedError({ httpCode: 'EAUTH' })).toBeUndefined();
		expect(statusFromWrappedError(new Error('socket hang up'))).toBeUndefined();
	});
});

describe('networkReason', () => {
	it('names the network code wherever n8n wrapped it, never n8n\'s "retry the request" wording', () => {
		const wrapped = Object.assign(new Error('The connection to the server was closed unexpectedly. You can retry the request immediately'), {
			cause: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }),
		});
		expect(networkReason(wrapped)).toBe('ECONNRESET');
		expect(networkReason(Object.assign(new Error('timeout of 60000ms exceeded'), { code: 'ECONNABORTED' }))).toBe('timed out');
		expect(networkReason(new Error('whatever'))).toBe('no answer');
		expect(networkReason(undefined)).toBe('no answer');
	});
});
