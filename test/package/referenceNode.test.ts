/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';
import type { INodeType } from 'n8n-workflow';
import { buildReferencePackage } from '../bench/reference-node/build';

// The bench's reference node replaces ours in a copy of the package: it must load where n8n loads
// ours and stand in for it in the bench workflow (same node type, same credential, same package).
const root = join(__dirname, '..', '..');

describe("the bench's reference package", () => {
	let dir: string;
	beforeAll(() => {
		// Inside the repository, so that `require('n8n-workflow')` finds it as it would inside n8n.
		mkdirSync(join(root, 'test-results'), { recursive: true });
		dir = buildReferencePackage(join(mkdtempSync(join(root, 'test-results', 'reference-')), 'package'));
	});
	afterAll(() => rmSync(join(dir, '..'), { recursive: true, force: true }));

	const load = (packageDir: string): INodeType => {
		const modulePath = join(packageDir, 'dist', 'nodes', 'TikTok', 'TikTok.node.js');
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const { TikTok } = require(modulePath) as { TikTok: new () => INodeType };
		return new TikTok();
	};

	it('is the same package, with a node n8n can load in place of ours', () => {
		expect(readFileSync(join(dir, 'package.json'), 'utf8')).toBe(readFileSync(join(root, 'package.json'), 'utf8'));
		const reference = load(dir);
		const ours = load(root);
		expect(reference.description.name).toBe(ours.description.name);
		expect(reference.description.description).toMatch(/reference/);
		expect(typeof reference.execute).toBe('function');
		// Its credential is ours (the bench's OAuth2 credential), and it reads the bench workflow's parameters.
		expect(reference.description.credentials?.map((c) => c.name)).toEqual(['tikTokOAuth2Api']);
		expect(ours.description.credentials?.map((c) => c.name)).toContain('tikTokOAuth2Api');
		const names = reference.description.properties.map((p) => p.name);
		expect(names).toEqual(['videoSource', 'binaryPropertyName', 'videoUrl', 'options']);
		// Each bench workflow sets, under those names, what the reference reads for its source.
		const workflowParameters = (file: string) => {
			const workflow = JSON.parse(readFileSync(join(root, 'test', 'bench', 'workflows', file), 'utf8')) as { nodes: Array<{ name: string; parameters: Record<string, unknown> }> };
			return workflow.nodes.find((node) => node.name === 'TikTok')?.parameters ?? {};
		};
		expect(workflowParameters('bench-post-video.json')).toMatchObject({ videoSource: 'binary', binaryPropertyName: 'data', options: { chunkSizeMb: expect.any(String) } });
		expect(workflowParameters('bench-post-video-url.json')).toMatchObject({ videoSource: 'urlUpload', videoUrl: expect.any(String), options: { chunkSizeMb: expect.any(String) } });
	});
});
