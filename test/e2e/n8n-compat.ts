/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// What differs between the pinned n8n and the older releases a compatibility run starts
// (`npm run test:compat`). Each difference is detected from the install itself, so the pinned
// version keeps taking exactly the path it always took.
import { existsSync } from 'fs';
import { join } from 'path';
import type { N8nInstall } from './install-n8n';
import { N8nRestError, type N8nRestClient } from './rest-client';

/**
 * Whether this n8n creates the owner from N8N_INSTANCE_OWNER_* at start. n8n 2.x has the loader;
 * n8n 1.x ignores those variables and waits for the owner to be set up over REST.
 */
export function managesOwnerFromEnv(install: N8nInstall): boolean {
	return existsSync(
		join(
			install.dir,
			'node_modules',
			'n8n',
			'dist',
			'instance-settings-loader',
			'loaders',
			'owner.instance-settings-loader.js',
		),
	);
}

/**
 * The owner sign-up an n8n 1.x user does on first start (`POST /rest/owner/setup`). A reused user
 * folder already has its owner: n8n answers 400 "Instance owner already setup", which is fine.
 */
export async function setUpOwnerOverRest(
	rest: N8nRestClient,
	owner: { email: string; password: string; firstName: string; lastName: string },
): Promise<void> {
	const { email, password, firstName, lastName } = owner;
	const response = await rest.raw('POST', '/rest/owner/setup', { email, password, firstName, lastName });
	if (response.status === 200) return;
	if (response.status === 400 && /already setup/i.test(response.text)) return;
	throw new N8nRestError('POST', '/rest/owner/setup', response.status, response.text);
}

/**
 * Extra fields `POST /rest/workflows` needs on this n8n. n8n 1.x stores `active` as NOT NULL
 * without a default for REST-created workflows (SQLITE_CONSTRAINT otherwise); its editor sends
 * `active: false`. n8n 2.x derives it from publishing.
 */
export function workflowCreateFields(install: N8nInstall): Record<string, unknown> {
	return majorVersion(install) < 2 ? { active: false } : {};
}

function majorVersion(install: N8nInstall): number {
	return Number(install.n8nVersion.split('.')[0]);
}

/**
 * Activates a workflow. n8n 2.x publishes with `POST /rest/workflows/:id/activate`, as do late 1.x
 * releases; earlier 1.x releases (1.94 has no such route: 404) activate the way their editor does,
 * `PATCH /rest/workflows/:id` with `active: true` and the version just saved.
 */
export async function activateWorkflow(
	rest: N8nRestClient,
	id: string,
	versionId: string,
): Promise<{ id: string; versionId: string; active: boolean }> {
	const published = await rest.raw('POST', `/rest/workflows/${id}/activate`, { versionId });
	if (published.status !== 404) {
		if (published.status < 200 || published.status >= 300) {
			throw new N8nRestError('POST', `/rest/workflows/${id}/activate`, published.status, published.text);
		}
		return dataOf(published.json);
	}
	return await rest.request('PATCH', `/rest/workflows/${id}`, { active: true, versionId });
}

function dataOf<T>(json: unknown): T {
	const body = json as { data?: T } | undefined;
	return (body && typeof body === 'object' && 'data' in body ? body.data : body) as T;
}
