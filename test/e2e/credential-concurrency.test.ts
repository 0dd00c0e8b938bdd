/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// TikTok's November 2026 token policy: access tokens live 2 hours and every refresh rotates the
// refresh token (the previous one stops working). Executions that meet the expired token at the
// same moment must all succeed, with one refresh per expiry: a second refresh would present a
// replaced refresh token, which TikTok refuses ('reject') or, if it treats that as token theft,
// answers by revoking the whole authorization ('revoke-grant'). Eight executions of one
// credential start together in one n8n process, for both credential types and every rotation ×
// reuse setting, and again after the next expiry. The observed table is written to
// test-results/e2e/credential-concurrency.md.
import { mkdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { startEmulator, type RunningEmulator } from '../emulator';
import { credentialLab, type CredentialRef, type ProofWorkflow } from './credential-lab';
import { N8N_START_TIMEOUT_MS, startN8n, type N8nInstance } from './harness';
import { REPO_ROOT } from './package-install';

const CONCURRENT = 8;
const PAST_EXPIRY = 2 * 3600 + 600;
const CELL_TIMEOUT_MS = 180_000;

type Rotation = 'stable' | 'rotate' | 'rotate-and-revoke-old';
type Reuse = 'reject' | 'revoke-grant';
type CredentialKind = 'tikTokOAuth2Api' | 'tikTokRefreshTokenApi';
interface Cell {
	credential: CredentialKind;
	refreshRotation: Rotation;
	refreshTokenReuse: Reuse;
}

const CELLS: Cell[] = (['tikTokOAuth2Api', 'tikTokRefreshTokenApi'] as CredentialKind[]).flatMap((credential) =>
	(['stable', 'rotate', 'rotate-and-revoke-old'] as Rotation[]).flatMap((refreshRotation) =>
		(['reject', 'revoke-grant'] as Reuse[]).map((refreshTokenReuse) => ({ credential, refreshRotation, refreshTokenReuse })),
	),
);

interface RefreshRecord {
	outcome: string;
}

interface Row extends Cell {
	round: string;
	succeeded: number;
	refreshRequests: number;
	refusedRefreshes: number;
	grantRevoked: boolean;
}

let emulator: RunningEmulator;
let n8n: N8nInstance;
const lab = credentialLab(() => ({ emulator, n8n }));
const rows: Row[] = [];

beforeAll(async () => {
	emulator = await startEmulator();
	n8n = await startN8n({ name: 'credential-concurrency' });
	await n8n.login();
}, N8N_START_TIMEOUT_MS);

afterAll(async () => {
	writeTable();
	await n8n?.stop();
	await emulator?.close();
});

function credentialFor(cell: Cell): Promise<CredentialRef> {
	return lab.readyCredential(cell.credential, `${cell.credential} ${cell.refreshRotation} ${cell.refreshTokenReuse}`);
}

async function refreshRecords(): Promise<RefreshRecord[]> {
	return (await lab.emulatorCall<{ refreshes: RefreshRecord[] }>('GET', '/__emulator/state')).refreshes;
}

async function grantsRevoked(): Promise<boolean> {
	const { grants } = await lab.emulatorCall<{ grants: Array<{ revoked: boolean }> }>('GET', '/__emulator/state');
	return grants.some((grant) => grant.revoked);
}

/** Starts CONCURRENT executions at once and records how they and the refreshes ended. */
async function burst(cell: Cell, workflow: ProofWorkflow, round: string): Promise<Row> {
	const before = (await refreshRecords()).length;
	const outcomes = await Promise.all(Array.from({ length: CONCURRENT }, async () => await lab.runProof(workflow)));
	const refreshes = (await refreshRecords()).slice(before);
	const row: Row = {
		...cell,
		round,
		succeeded: outcomes.filter((outcome) => outcome.ok && outcome.output.includes('Emulator Creator')).length,
		refreshRequests: refreshes.length,
		refusedRefreshes: refreshes.filter((refresh) => refresh.outcome !== 'ok').length,
		grantRevoked: await grantsRevoked(),
	};
	rows.push(row);
	const failures = outcomes.filter((outcome) => !outcome.ok).map((outcome) => outcome.error);
	expect({ round, failures }).toEqual({ round, failures: [] });
	return row;
}

describe(`${CONCURRENT} executions of one credential meeting an expired token together`, () => {
	it.each(CELLS)('%o', async (cell) => {
		await lab.configureEmulator({
			clientKeyIn: 'body-or-query', // n8n's own OAuth2 refresh can only work this way (see the credential matrix)
			refreshRotation: cell.refreshRotation,
			refreshTokenReuse: cell.refreshTokenReuse,
			rateLimits: false,
		});
		const credential = await credentialFor(cell);
		const workflow = await lab.creatorInfoWorkflow(credential);
		lab.expectCreatorInfo(await lab.runProof(workflow)); // stores an access token

		await lab.advanceClock(PAST_EXPIRY);
		const first = await burst(cell, workflow, 'first expiry');
		expect(first).toMatchObject({ succeeded: CONCURRENT, refreshRequests: 1, refusedRefreshes: 0, grantRevoked: false });

		// Stored: the next execution needs no refresh.
		const beforeNext = (await refreshRecords()).length;
		lab.expectCreatorInfo(await lab.runProof(workflow));
		expect((await refreshRecords()).length).toBe(beforeNext);

		// The stored (rotated) refresh token carries the credential through the next expiry too.
		await lab.advanceClock(PAST_EXPIRY);
		const second = await burst(cell, workflow, 'next expiry');
		expect(second).toMatchObject({ succeeded: CONCURRENT, refreshRequests: 1, refusedRefreshes: 0, grantRevoked: false });
	}, CELL_TIMEOUT_MS);
});

function writeTable(): void {
	if (rows.length === 0) return;
	const dir = join(REPO_ROOT, 'test-results', 'e2e');
	mkdirSync(dir, { recursive: true });
	const lines = [
		`# ${CONCURRENT} concurrent executions after expiry (n8n ${n8n?.install.n8nVersion ?? '?'}, ${new Date().toISOString()})`,
		'',
		'| credential | refreshRotation | refreshTokenReuse | round | succeeded | refresh requests | refused refreshes | grant revoked |',
		'|---|---|---|---|---|---|---|---|',
		...rows.map(
			(row) =>
				`| ${row.credential} | ${row.refreshRotation} | ${row.refreshTokenReuse} | ${row.round} | ${row.succeeded}/${CONCURRENT} | ${row.refreshRequests} | ${row.refusedRefreshes} | ${row.grantRevoked} |`,
		),
		'',
	];
	writeFileSync(join(dir, 'credential-concurrency.md'), lines.join('\n'));
}
