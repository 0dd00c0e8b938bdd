/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The GitHub workflows: valid YAML, CI runs the project's CI script, and publishing happens only
// from a version tag, after the full test run, with an npm provenance statement (which n8n
// requires of community nodes published since 2026-05-01).
import { readFileSync } from 'fs';
import { join } from 'path';
import { parse } from 'yaml';

const root = join(__dirname, '..', '..');
const workflow = (name: string) => parse(readFileSync(join(root, '.github', 'workflows', name), 'utf8'));

type Step = { run?: string; uses?: string; env?: Record<string, string> };

describe('GitHub workflows', () => {
	it('CI runs .ci/run on pushes to main and on pull requests', () => {
		const ci = workflow('ci.yml');
		expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
		const steps = Object.values(ci.jobs as Record<string, { steps: Step[] }>).flatMap((job) => job.steps);
		expect(steps.some((step) => /bash \.ci\/run\b/.test(step.run ?? ''))).toBe(true);
	});

	it('publishes only from a version tag, after .ci/run, with provenance and an OIDC token', () => {
		const publish = workflow('publish.yml');
		expect(publish.on.push.tags).toEqual(['*.*.*']);
		const [job] = Object.values(publish.jobs as Record<string, { permissions: Record<string, string>; steps: Step[] }>);
		expect(job.permissions).toMatchObject({ 'id-token': 'write', contents: 'read' });
		const runs = job.steps.map((step) => step.run ?? '');
		const test = runs.findIndex((run) => /bash \.ci\/run\b/.test(run));
		const release = runs.findIndex((run) => /npm publish --provenance\b/.test(run));
		expect(test).toBeGreaterThanOrEqual(0);
		expect(release).toBeGreaterThan(test);
		expect(runs.some((run) => /require\('\.\/package\.json'\)\.version/.test(run) && /GITHUB_REF_NAME/.test(run))).toBe(true);
	});
});
