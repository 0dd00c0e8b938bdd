/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
import { execFileSync } from 'child_process';
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

// What `npm publish` would ship: built node, credentials, icons and codex; nothing else.
const root = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));

function packedFiles(): string[] {
	const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
	const [report] = JSON.parse(out) as Array<{ files: Array<{ path: string }> }>;
	return report.files.map((file) => file.path);
}

describe('package', () => {
	beforeAll(() => {
		if (!existsSync(join(root, 'dist'))) throw new Error('dist/ is missing: run `npm run build` (npm test does).');
	});

	it('has no runtime dependencies and only n8n-workflow as peer', () => {
		expect(pkg.dependencies ?? {}).toEqual({});
		expect(pkg.peerDependencies).toEqual({ 'n8n-workflow': '*' });
	});

	it('ships every node and credential listed in the n8n section, with icons and codex', () => {
		const files = packedFiles();
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(entry);
		expect(files).toContain('dist/nodes/TikTok/TikTok.node.json');
		expect(files).toContain('dist/nodes/TikTokTrigger/TikTokTrigger.node.json');
		expect(files).toContain('dist/icons/tiktok.svg');
		expect(files).toContain('dist/icons/tiktok.dark.svg');
		expect(files).toContain('dist/icons/tiktok-trigger.svg');
		expect(files).toContain('dist/icons/tiktok-trigger.dark.svg');
		expect(files).toContain('package.json');
		expect(files).toContain('README.md');
	});

	it('ships nothing from test/ and no TypeScript sources', () => {
		const files = packedFiles();
		expect(files.filter((file) => file.startsWith('test/') || file.includes('/test/'))).toEqual([]);
		expect(files.filter((file) => file.endsWith('.ts') && !file.endsWith('.d.ts'))).toEqual([]);
		expect(files.filter((file) => !file.startsWith('dist/') && !['package.json', 'README.md', 'LICENSE', 'index.js'].includes(file))).toEqual([]);
	});

	it('lists both nodes: the TikTok node and the TikTok Trigger', () => {
		expect(pkg.n8n.nodes).toEqual(['dist/nodes/TikTok/TikTok.node.js', 'dist/nodes/TikTokTrigger/TikTokTrigger.node.js']);
	});

	it('gives the trigger its own light and dark icons, square and different from each other', () => {
		const light = readFileSync(join(root, 'icons', 'tiktok-trigger.svg'), 'utf8');
		const dark = readFileSync(join(root, 'icons', 'tiktok-trigger.dark.svg'), 'utf8');
		expect(light).not.toBe(dark);
		expect(light).not.toBe(readFileSync(join(root, 'icons', 'tiktok.svg'), 'utf8'));
		for (const svg of [light, dark]) expect(svg).toMatch(/viewBox="0 0 (\d+) \1"/);
	});

	it('resolves the icons the node and credentials reference', () => {
		for (const entry of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) {
			const modulePath = join(root, entry);
			// eslint-disable-next-line @typescript-eslint/no-require-imports
			const exported = require(modulePath) as Record<string, new () => { description?: { icon?: unknown }; icon?: unknown }>;
			const instance = new (Object.values(exported)[0])();
			const icon = (instance.description?.icon ?? instance.icon) as { light: string; dark: string };
			for (const variant of [icon.light, icon.dark]) {
				const file = join(modulePath, '..', variant.replace(/^file:/, ''));
				expect(existsSync(file)).toBe(true);
			}
		}
	});
});
