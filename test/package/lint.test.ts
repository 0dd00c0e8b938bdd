/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions -- test code runs in Node.js, not inside n8n */
// `npx n8n-node lint`, n8n's own lint command for community packages, must pass on the whole
// repository: it checks that eslint.config.mjs is n8n's unmodified template (strict mode) and
// lints every file with it, test code included.
import { spawnSync } from 'child_process';
import { join } from 'path';

const root = join(__dirname, '..', '..');

describe('npx n8n-node lint', () => {
	it('passes on the whole repository with the unmodified n8n config', () => {
		// Jest's NODE_ENV=test would put n8n's lint plugin into its own test mode.
		const env = { ...process.env };
		delete env.NODE_ENV;
		const result = spawnSync('npx', ['n8n-node', 'lint'], { cwd: root, env, encoding: 'utf8', timeout: 300_000 });
		const output = `${result.stdout}\n${result.stderr}`.replace(new RegExp(`${String.fromCharCode(27)}\\[[\\d;]*m`, 'g'), '');
		expect({ status: result.status, problems: output.match(/^.*\d+ problems?.*$/m)?.[0] ?? '' }).toEqual({ status: 0, problems: '' });
	}, 300_000);
});
