// The built package loads into a real n8n as an installed community package: the node and both
// credential types are known to the server the editor talks to.
import { N8N_START_TIMEOUT_MS, startN8n, type N8nInstance } from './harness';

const NODE_TYPE = 'n8n-nodes-tiktok-posting.tikTok';
const CREDENTIAL_TYPES = ['tikTokOAuth2Api', 'tikTokRefreshTokenApi'];

describe('n8n loads the package', () => {
	let n8n: N8nInstance;

	beforeAll(async () => {
		n8n = await startN8n({ name: 'smoke' });
		await n8n.login();
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
	});

	it('lists the TikTok node among the node types', async () => {
		const response = await n8n.rest.raw('GET', '/types/nodes.json');
		expect(response.status).toBe(200);
		const names = (response.json as Array<{ name: string }>).map((node) => node.name);
		expect(names).toContain(NODE_TYPE);
	});

	it('knows both TikTok credential types', async () => {
		const response = await n8n.rest.raw('GET', '/types/credentials.json');
		expect(response.status).toBe(200);
		const names = (response.json as Array<{ name: string }>).map((credential) => credential.name);
		expect(names).toEqual(expect.arrayContaining(CREDENTIAL_TYPES));
	});

	it('logged no error while loading the package', () => {
		// n8n skips a broken community package with a logged error instead of failing to start.
		// (The n8n cache folder is also named after the package, so path mentions do not count.)
		const mentions = n8n
			.readLog()
			.split('\n')
			.filter((line) =>
				line
					.replace(/\/[^\s]*n8n-nodes-tiktok-posting[^\s]*/g, '')
					.includes('n8n-nodes-tiktok-posting'),
			);
		expect(mentions.filter((line) => /error|fail|warn|could not/i.test(line))).toEqual([]);
	});
});
