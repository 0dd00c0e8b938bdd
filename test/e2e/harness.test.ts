/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The harness itself against the pinned n8n, with n8n's own nodes only: a webhook workflow created
// and published over REST, a real file read by the Read/Write Files node in both binary data modes
// the suite uses, execution details read back, credentials imported and exported by the CLI, and
// a stop() that leaves no process behind.
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';
import { createHash } from 'crypto';
import { sha256OfFile, writeFileOfSize, type GeneratedFile } from './files';
import {
	N8N_CLI_TIMEOUT_MS,
	N8N_START_TIMEOUT_MS,
	startN8n,
	type N8nInstance,
	type WorkflowJson,
} from './harness';

const READ_FILE_WORKFLOW = JSON.parse(
	readFileSync(join(__dirname, 'workflows', 'harness-read-file.json'), 'utf8'),
) as WorkflowJson;
const FILE_BYTES = 3 * 1024 * 1024 + 17;

function processGroupMembers(pgid: number): number[] {
	const output = execFileSync('ps', ['-e', '-o', 'pid=,pgid='], { encoding: 'utf8' });
	return output
		.trim()
		.split('\n')
		.map((line) => line.trim().split(/\s+/).map(Number))
		.filter(([, group]) => group === pgid)
		.map(([pid]) => pid);
}

describe.each([
	{ mode: undefined, label: "n8n's default binary data mode" },
	{ mode: 'default', label: 'memory binary data mode' },
])('harness with $label', ({ mode }) => {
	let n8n: N8nInstance;
	let workflowId: string;
	let file: GeneratedFile;

	beforeAll(async () => {
		n8n = await startN8n({
			name: mode ? `harness-${mode}-binary-mode` : 'harness-n8n-default-binary-mode',
			binaryDataMode: mode,
		});
		await n8n.login();
		workflowId = (await n8n.importWorkflow(READ_FILE_WORKFLOW)).id;
		file = await writeFileOfSize(join(n8n.filesDir, 'clip.mp4'), FILE_BYTES);
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await n8n?.stop();
	});

	it('generates files of the requested size whose hash matches their content', async () => {
		expect(readFileSync(file.path).length).toBe(FILE_BYTES);
		expect(await sha256OfFile(file.path)).toBe(file.sha256);
	});

	it('runs a published webhook workflow that reads a real file', async () => {
		const result = await n8n.runWebhook('harness-read-file', { file: file.path });
		expect(result.status).toBe(200);
		expect(result.json).toEqual([
			expect.objectContaining({ fileName: 'clip.mp4', mimeType: 'video/mp4' }),
		]);

		const execution = await n8n.lastExecution(workflowId);
		expect(execution.status).toBe('success');
		const binary = execution.nodes['Read File'].binary[0]?.data as Record<string, unknown>;
		expect(binary.bytes).toBe(FILE_BYTES);
		if (mode === 'default') {
			// Memory mode: the bytes travel inside the item as base64, with no storage id.
			expect(binary.id).toBeUndefined();
			const bytes = Buffer.from(binary.data as string, 'base64');
			expect(createHash('sha256').update(bytes).digest('hex')).toBe(file.sha256);
		} else {
			// n8n 2.x's default in regular mode is the filesystem store.
			expect(binary.data).toBe('filesystem-v2');
			const fileId = String(binary.id).replace(/^filesystem-v2:/, '');
			expect(await sha256OfFile(join(n8n.n8nFolder, 'storage', fileId))).toBe(file.sha256);
		}
	});

	it('reports why an execution failed', async () => {
		const result = await n8n.runWebhook('harness-read-file', { file: '/etc/hostname' });
		expect(result.status).toBe(500);
		const execution = await n8n.lastExecution(workflowId);
		expect(execution.status).toBe('error');
		expect(execution.lastNodeExecuted).toBe('Read File');
		expect(execution.error?.message).toMatch(/not allowed/i);
	});

	if (mode === undefined) {
		it('tells a registered webhook from one that is not', async () => {
			await expect(n8n.waitForWebhook('harness-read-file', 'POST', 2000)).resolves.toBeUndefined();
			await expect(n8n.waitForWebhook('harness-read-file', 'PUT', 1000)).rejects.toThrow(
				/not registered/,
			);
			await expect(n8n.waitForWebhook('no-such-webhook', 'POST', 1000)).rejects.toThrow(
				/not registered/,
			);
		});

		it(
			'imports credentials with token data and exports them decrypted',
			async () => {
				const credential = {
					id: 'harnessTikTok1',
					name: 'Harness TikTok',
					type: 'tikTokOAuth2Api',
					data: {
						apiBaseUrl: 'http://127.0.0.1:9',
						clientId: 'harness-client-key',
						clientSecret: 'harness-client-secret',
						oauthTokenData: {
							access_token: 'act.harness',
							refresh_token: 'rft.harness',
							expires_in: 86400,
						},
					},
				};
				await n8n.importCredentials([credential]);
				const exported = (await n8n.exportCredentials()).find(
					(entry) => entry.id === credential.id,
				);
				expect(exported?.type).toBe(credential.type);
				expect(exported?.data).toEqual(credential.data);
				const listed = await n8n.rest.request<Array<{ id: string; type: string }>>(
					'GET',
					'/rest/credentials',
				);
				expect(listed).toEqual(
					expect.arrayContaining([expect.objectContaining({ id: credential.id })]),
				);
			},
			N8N_CLI_TIMEOUT_MS * 2,
		);

		it('stop() ends n8n and its task runner', async () => {
			const pgid = n8n.pid as number;
			// n8n runs its JavaScript task runner as a child in the same process group.
			expect(processGroupMembers(pgid).length).toBeGreaterThanOrEqual(2);
			await n8n.stop();
			expect(processGroupMembers(pgid)).toEqual([]);
		}, 30_000);
	}
});
