import { apiBaseUrlFor } from '../../nodes/TikTok/transport/credentials';

/** A node run's context as far as apiBaseUrlFor sees it: it only reads credentials. */
function nodeRun(answers: Record<string, Array<Record<string, unknown> | Error>>) {
	const reads: string[] = [];
	return {
		reads,
		getCredentials: async (type: string) => {
			reads.push(type);
			const answer = answers[type]?.shift();
			if (answer === undefined) throw new Error(`no credential of type ${type}`);
			if (answer instanceof Error) throw answer;
			return answer;
		},
	};
}

describe('apiBaseUrlFor (the credential is decrypted once per node run)', () => {
	it('reads the credential once for every call of one node run', async () => {
		const run = nodeRun({ tikTokOAuth2Api: [{ apiBaseUrl: 'http://127.0.0.1:9000/ ' }] });
		const urls = await Promise.all([1, 2, 3].map(() => apiBaseUrlFor(run as never, 'tikTokOAuth2Api')));
		expect(urls).toEqual(['http://127.0.0.1:9000', 'http://127.0.0.1:9000', 'http://127.0.0.1:9000']);
		expect(await apiBaseUrlFor(run as never, 'tikTokOAuth2Api')).toBe('http://127.0.0.1:9000');
		expect(run.reads).toEqual(['tikTokOAuth2Api']);
	});

	it('keeps node runs and credential types apart', async () => {
		const first = nodeRun({ tikTokOAuth2Api: [{ apiBaseUrl: 'http://one' }], tikTokRefreshTokenApi: [{}] });
		const second = nodeRun({ tikTokOAuth2Api: [{ apiBaseUrl: 'http://two' }] });
		expect(await apiBaseUrlFor(first as never, 'tikTokOAuth2Api')).toBe('http://one');
		expect(await apiBaseUrlFor(first as never, 'tikTokRefreshTokenApi')).toBe('https://open.tiktokapis.com');
		expect(await apiBaseUrlFor(second as never, 'tikTokOAuth2Api')).toBe('http://two');
		expect(first.reads).toEqual(['tikTokOAuth2Api', 'tikTokRefreshTokenApi']);
		expect(second.reads).toEqual(['tikTokOAuth2Api']);
	});

	it('does not remember a failed read: the next call tries again', async () => {
		const run = nodeRun({ tikTokOAuth2Api: [new Error('Credentials could not be decrypted'), { apiBaseUrl: 'http://later' }] });
		await expect(apiBaseUrlFor(run as never, 'tikTokOAuth2Api')).rejects.toThrow('could not be decrypted');
		expect(await apiBaseUrlFor(run as never, 'tikTokOAuth2Api')).toBe('http://later');
		expect(run.reads).toEqual(['tikTokOAuth2Api', 'tikTokOAuth2Api']);
	});
});
