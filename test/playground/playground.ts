/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// The playground as a library: the TikTok emulator plus the pinned n8n with this package loaded,
// an owner account, a TikTok credential already connected to the emulator, a sample video in the
// folder n8n may read, and the demo workflow. Used by `npm start` and by the browser check.
import { spawnSync } from 'child_process';
import { mkdirSync, readFileSync, rmSync } from 'fs';
import { join } from 'path';
import { startEmulator, type RunningEmulator } from '../emulator';
import { writeFileOfSize, type GeneratedFile } from '../e2e/files';
import {
	N8N_START_TIMEOUT_MS,
	OWNER,
	startN8n,
	type N8nInstance,
	type WorkflowJson,
} from '../e2e/harness';
import { REPO_ROOT } from '../e2e/package-install';

export const EMULATOR_APP = {
	clientKey: 'emulator-client-key',
	clientSecret: 'emulator-client-secret',
};
export const PLAYGROUND_CREDENTIAL = { id: 'playgroundTikTokOAuth2', name: 'TikTok (emulator)' };
const SAMPLE_VIDEO_BYTES = 12 * 1024 * 1024;

export interface PlaygroundOptions {
	/** Default 4010. */
	emulatorPort?: number;
	/** Default 5678. */
	n8nPort?: number;
	/** Run `npm run build` first (default true). */
	build?: boolean;
	/** Default <repo>/.n8n-playground; wiped at every start so the demo starts from a known state. */
	folder?: string;
	/** Delete the folder on stop (default false: the default folder is kept for a look at logs). */
	removeFolderOnStop?: boolean;
	/** Progress lines (default: stderr). */
	report?: (line: string) => void;
}

export interface Playground {
	emulator: RunningEmulator;
	n8n: N8nInstance;
	credentialId: string;
	workflowId: string;
	workflowName: string;
	workflowUrl: string;
	sampleVideo: GeneratedFile;
	owner: { email: string; password: string };
	stop(): Promise<void>;
}

interface TokenPair {
	access_token: string;
	refresh_token: string;
	open_id: string;
	scope: string;
	expires_in: number;
	refresh_expires_in?: number;
	token_type?: string;
}

function buildPackage(): void {
	const result = spawnSync('npm', ['run', 'build'], { cwd: REPO_ROOT, stdio: 'inherit' });
	if (result.status !== 0) throw new Error('`npm run build` failed');
}

async function issueTokens(emulatorUrl: string): Promise<TokenPair> {
	const response = await fetch(`${emulatorUrl}/__emulator/tokens`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: '{}',
	});
	if (!response.ok)
		throw new Error(
			`emulator refused to issue tokens: ${response.status} ${await response.text()}`,
		);
	return (await response.json()) as TokenPair;
}

export function demoWorkflow(sampleVideoPath: string): WorkflowJson {
	const template = readFileSync(join(__dirname, 'demo-workflow.json'), 'utf8');
	const workflow = JSON.parse(template) as WorkflowJson;
	for (const node of workflow.nodes) {
		const parameters = node.parameters as Record<string, unknown>;
		if (parameters.fileSelector === '__SAMPLE_VIDEO_PATH__')
			parameters.fileSelector = sampleVideoPath;
		const credentials = node.credentials as
			| Record<string, { id: string; name: string }>
			| undefined;
		for (const reference of Object.values(credentials ?? {})) {
			if (reference.id === '__CREDENTIAL_ID__') Object.assign(reference, PLAYGROUND_CREDENTIAL);
		}
	}
	return workflow;
}

export async function startPlayground(options: PlaygroundOptions = {}): Promise<Playground> {
	const report = options.report ?? ((line: string) => process.stderr.write(`${line}\n`));
	if (options.build !== false) {
		report('Building the package (npm run build)…');
		buildPackage();
	}
	const folder = options.folder ?? join(REPO_ROOT, '.n8n-playground');
	rmSync(folder, { recursive: true, force: true });
	mkdirSync(folder, { recursive: true });

	const emulator = await startEmulator({ port: options.emulatorPort ?? 4010 });
	report(`TikTok emulator listening on ${emulator.url}`);
	let n8n: N8nInstance | undefined;
	try {
		const tokens = await issueTokens(emulator.url);
		report('Starting n8n (installs the pinned version on first use; that takes a few minutes)…');
		n8n = await startN8n({
			port: options.n8nPort ?? 5678,
			userFolder: folder,
			logFile: join(folder, 'n8n.log'),
			readyTimeoutMs: N8N_START_TIMEOUT_MS,
			credentials: [
				{
					...PLAYGROUND_CREDENTIAL,
					type: 'tikTokOAuth2Api',
					data: {
						apiBaseUrl: emulator.url,
						clientId: EMULATOR_APP.clientKey,
						clientSecret: EMULATOR_APP.clientSecret,
						oauthTokenData: { token_type: 'Bearer', ...tokens },
					},
				},
			],
		});
		await n8n.login();
		const sampleVideo = await writeFileOfSize(
			join(n8n.filesDir, 'sample-video.mp4'),
			SAMPLE_VIDEO_BYTES,
		);
		const demo = demoWorkflow(sampleVideo.path);
		const workflow = await n8n.importWorkflow(demo, { activate: false });
		const running = n8n;
		return {
			emulator,
			n8n: running,
			credentialId: PLAYGROUND_CREDENTIAL.id,
			workflowId: workflow.id,
			workflowName: demo.name,
			workflowUrl: `${running.baseUrl}/workflow/${workflow.id}`,
			sampleVideo,
			owner: { email: OWNER.email, password: OWNER.password },
			async stop() {
				await running.stop();
				await emulator.close();
				if (options.removeFolderOnStop) rmSync(folder, { recursive: true, force: true });
			},
		};
	} catch (error) {
		await n8n?.stop();
		await emulator.close();
		throw error;
	}
}
