/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-hardcoded-secrets, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// One real n8n server per test suite, loading the built package the way a user's n8n does
// (as an installed community package), driven over its REST API and webhooks.
//
//   let n8n: N8nInstance;
//   beforeAll(async () => { n8n = await startN8n({ name: 'post-video' }); }, N8N_START_TIMEOUT_MS);
//   afterAll(() => n8n?.stop());
//
// Assumes `npm run build` ran. Installs the pinned n8n into the shared cache when it is missing.
import { createRequire } from 'module';
import { type ChildProcess, spawn } from 'child_process';
import {
	mkdirSync,
	statSync,
	mkdtempSync,
	openSync,
	closeSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { basename, join } from 'path';
import { ensureN8nInstalled, type N8nInstall } from './install-n8n';
import { freePorts } from './free-port';
import { hasExited, killGroup, n8nEnvironment, runN8nCli, stopGroup } from './n8n-process';
import { activateWorkflow, managesOwnerFromEnv, setUpOwnerOverRest, workflowCreateFields } from './n8n-compat';
import { installPackageInto, REPO_ROOT } from './package-install';
import { N8nRestClient, type RawResponse } from './rest-client';

/** Generous: a cold n8n cache is installed first (minutes), then n8n migrates an empty database. */
export const N8N_START_TIMEOUT_MS = 15 * 60 * 1000;
/** For suites that expect the cache to be warm (CI installs it in an earlier step). */
export const N8N_WARM_START_TIMEOUT_MS = 180_000;

/** For a test that runs n8n CLI commands (import/export: about 5 s each on 2 cores). */
export const N8N_CLI_TIMEOUT_MS = 60_000;

export const OWNER = {
	email: 'owner@e2e.test',
	password: 'Passw0rd!e2e',
	firstName: 'E2E',
	lastName: 'Owner',
	// bcrypt('Passw0rd!e2e', 10): n8n only accepts a hash for the env-managed owner.
	passwordHash: '$2a$10$HadSKj8TAxjWwWcV..NZcewnAwM8oeYj8oZf4ZgxHLGt9.pUsR3lW',
} as const;

export const ENCRYPTION_KEY = 'e2e-fixed-encryption-key-0123456789';

export interface StartN8nOptions {
	/** Names the log file: test-results/e2e/<name>.n8n.log. */
	name?: string;
	/** Overrides where the server log goes. */
	logFile?: string;
	/** N8N_DEFAULT_BINARY_DATA_MODE; leave undefined to test n8n's own default. */
	binaryDataMode?: string;
	/** Defaults to a free port. */
	port?: number;
	/** Defaults to a fresh folder under os.tmpdir(), deleted by stop(). */
	userFolder?: string;
	/**
	 * Package to load; defaults to N8N_E2E_PACKAGE_DIR, else this repository (must be built). The
	 * variable lets a suite run against another build, e.g. to show a test fails without a fix.
	 */
	packageDir?: string;
	/** Imported with n8n's CLI before the server starts (same as importCredentials later). */
	credentials?: CredentialFixture[];
	/** Extra environment for the server (wins over the harness defaults). */
	env?: Record<string, string>;
	/** Flags for n8n's Node runtime itself, for the few V8 flags NODE_OPTIONS refuses (the benchmark's). */
	nodeArgs?: string[];
	/** Bound on waiting for the server to be ready (after the install). */
	readyTimeoutMs?: number;
}

/** What `n8n import:credentials` takes: `data` in clear text, encrypted by n8n on import. */
export interface CredentialFixture {
	id: string;
	name: string;
	type: string;
	data: Record<string, unknown>;
}

export interface WorkflowJson {
	name: string;
	nodes: Array<Record<string, unknown>>;
	connections: Record<string, unknown>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface ImportedWorkflow {
	id: string;
	versionId: string;
	active: boolean;
}

export interface WebhookResult {
	status: number;
	json: unknown;
	text: string;
}

export interface NodeRun {
	json: Array<Record<string, unknown>>;
	binary: Array<Record<string, unknown> | undefined>;
	error?: Record<string, unknown>;
}

export interface ExecutionDetails {
	id: string;
	workflowId: string;
	status: string;
	finished: boolean;
	mode: string;
	/** The execution's error (message, description, node name, ...) when it failed. */
	error?: Record<string, unknown>;
	lastNodeExecuted?: string;
	/** Per node name: output items of the node's first run, and the node's own error if it failed. */
	nodes: Record<string, NodeRun>;
	/** The parsed `data` of the execution as n8n stores it. */
	data: Record<string, unknown>;
}

const READY_POLL_MS = 250;
const WEBHOOK_POLL_MS = 100;
const START_ATTEMPTS = 3;
const WEBHOOK_REGISTRATION_TIMEOUT_MS = 30_000;
const EDITOR_READY_LINE = 'Editor is now accessible via';

export class N8nInstance {
	readonly rest: N8nRestClient;
	/** Set by startN8n when it created the user folder. */
	removeUserFolderOnStop = false;
	private stopped = false;
	private readonly exitGuard = () => killGroup(this.child, 'SIGKILL');

	constructor(
		readonly install: N8nInstall,
		readonly baseUrl: string,
		readonly port: number,
		readonly userFolder: string,
		/** The only folder n8n's Read/Write Files node may read from and write to. */
		readonly filesDir: string,
		readonly logFile: string,
		private readonly env: NodeJS.ProcessEnv,
		private readonly child: ChildProcess,
	) {
		this.rest = new N8nRestClient(baseUrl);
		process.once('exit', this.exitGuard);
	}

	get n8nFolder(): string {
		return join(this.userFolder, '.n8n');
	}

	get pid(): number | undefined {
		return this.child.pid;
	}

	/** The `n8n start` process (leader of a process group that includes its task runner). */
	get process(): ChildProcess {
		return this.child;
	}

	/** Logs in as the owner; later REST calls carry the session cookie. */
	async login(): Promise<void> {
		await this.rest.login(OWNER.email, OWNER.password);
	}

	/** Imports credentials with n8n's CLI (works while the server runs; n8n reads credentials per execution). */
	async importCredentials(credentials: CredentialFixture[]): Promise<void> {
		await importCredentialsWithCli(
			this.install,
			this.env,
			this.logFile,
			this.userFolder,
			credentials,
		);
	}

	/** All credentials, decrypted, as stored in n8n's database (`n8n export:credentials --decrypted`). */
	async exportCredentials(): Promise<CredentialFixture[]> {
		const file = join(this.userFolder, `export-${Date.now()}.json`);
		const result = await runN8nCli(
			this.install,
			['export:credentials', '--all', '--decrypted', `--output=${file}`],
			this.cliEnv(),
			this.logFile,
		);
		if (result.code !== 0) throw new Error(`export:credentials failed:\n${tail(result.output)}`);
		const credentials = JSON.parse(readFileSync(file, 'utf8')) as CredentialFixture[];
		rmSync(file, { force: true });
		return credentials;
	}

	/** Runs any n8n CLI command against this instance's database. */
	async cli(args: string[]): Promise<{ code: number | null; output: string }> {
		return runN8nCli(this.install, args, this.cliEnv(), this.logFile);
	}

	/**
	 * Creates the workflow over REST and, when it has a trigger such as a Webhook, publishes it
	 * so that its production webhook is registered at once. Requires login().
	 */
	async importWorkflow(
		workflow: WorkflowJson,
		options: { activate?: boolean } = {},
	): Promise<ImportedWorkflow> {
		// n8n assigns its own id and version, and activation is a separate call
		const body: Partial<WorkflowJson> = { ...workflow };
		delete body.id;
		delete body.active;
		delete body.versionId;
		const created = await this.rest.request<{ id: string; versionId: string }>(
			'POST',
			'/rest/workflows',
			{
				...body,
				...workflowCreateFields(this.install),
				settings: { executionOrder: 'v1', ...(workflow.settings ?? {}) },
			},
		);
		const activate =
			options.activate ?? workflow.nodes.some((node) => node.type === 'n8n-nodes-base.webhook');
		if (!activate) return { id: created.id, versionId: created.versionId, active: false };
		const published = await activateWorkflow(this.rest, created.id, created.versionId);
		// n8n 2.x answers the publish call before it registers the webhooks (about 0.3-0.7 s later).
		for (const node of workflow.nodes) {
			const parameters = (node.parameters ?? {}) as { path?: unknown; httpMethod?: unknown };
			if (node.type !== 'n8n-nodes-base.webhook' || typeof parameters.path !== 'string') continue;
			if (parameters.path.startsWith('=')) continue;
			await this.waitForWebhook(
				parameters.path,
				typeof parameters.httpMethod === 'string' ? parameters.httpMethod : 'GET',
			);
		}
		return { id: created.id, versionId: published.versionId, active: published.active };
	}

	/**
	 * Waits until a production webhook is registered, without triggering it: a CORS preflight
	 * (OPTIONS with an Origin) lists the path's methods once registered and is a 404 before.
	 */
	async waitForWebhook(
		path: string,
		method = 'POST',
		timeoutMs = WEBHOOK_REGISTRATION_TIMEOUT_MS,
	): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		let lastStatus = 0;
		while (Date.now() < deadline) {
			const response = await this.rest.raw('OPTIONS', `/webhook/${path}`, undefined, {
				origin: this.baseUrl,
				'access-control-request-method': method,
			});
			lastStatus = response.status;
			const allowed = (response.headers.get('access-control-allow-methods') ?? '').split(/,\s*/);
			if (response.status < 300 && allowed.includes(method.toUpperCase())) return;
			await new Promise((resolve) => setTimeout(resolve, WEBHOOK_POLL_MS));
		}
		throw new Error(
			`webhook ${method} /webhook/${path} was not registered within ${timeoutMs} ms (last status ${lastStatus})`,
		);
	}

	/** Calls a production webhook; `path` is the Webhook node's path parameter. */
	async runWebhook(path: string, body: unknown = {}, method = 'POST'): Promise<WebhookResult> {
		const response: RawResponse = await this.rest.raw(
			method,
			`/webhook/${path}`,
			method === 'GET' ? undefined : body,
		);
		return { status: response.status, json: response.json, text: response.text };
	}

	/** The newest executions first, optionally of one workflow. Requires login(). */
	async listExecutions(
		workflowId?: string,
		limit = 10,
	): Promise<Array<{ id: string; workflowId: string; status: string; finished: boolean }>> {
		const filter = workflowId
			? `&filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`
			: '';
		const page = await this.rest.request<{
			results: Array<{ id: string; workflowId: string; status: string; finished: boolean }>;
		}>('GET', `/rest/executions?limit=${limit}${filter}`);
		return page.results;
	}

	/** One execution with its run data parsed (n8n stores it in `flatted` form). Requires login(). */
	async getExecution(id: string): Promise<ExecutionDetails> {
		const execution = await this.rest.request<{
			id: string;
			workflowId: string;
			status: string;
			finished: boolean;
			mode: string;
			data: string;
		}>('GET', `/rest/executions/${id}`);
		const data = this.parseFlatted(execution.data) as Record<string, unknown>;
		const resultData = (data.resultData ?? {}) as {
			error?: Record<string, unknown>;
			lastNodeExecuted?: string;
			runData?: Record<
				string,
				Array<{
					data?: {
						main?: Array<Array<{
							json: Record<string, unknown>;
							binary?: Record<string, unknown>;
						}> | null>;
					};
					error?: Record<string, unknown>;
				}>
			>;
		};
		const nodes: Record<string, NodeRun> = {};
		for (const [nodeName, runs] of Object.entries(resultData.runData ?? {})) {
			const firstRun = runs[0];
			const items = firstRun?.data?.main?.[0] ?? [];
			nodes[nodeName] = {
				json: items.map((item) => item.json),
				binary: items.map((item) => item.binary),
				error: firstRun?.error,
			};
		}
		return {
			id: execution.id,
			workflowId: execution.workflowId,
			status: execution.status,
			finished: execution.finished,
			mode: execution.mode,
			error: resultData.error,
			lastNodeExecuted: resultData.lastNodeExecuted,
			nodes,
			data,
		};
	}

	/** The newest execution (of a workflow, if given), fully parsed. */
	async lastExecution(workflowId?: string): Promise<ExecutionDetails> {
		const [newest] = await this.listExecutions(workflowId, 1);
		if (!newest)
			throw new Error(`no execution found${workflowId ? ` for workflow ${workflowId}` : ''}`);
		return this.getExecution(newest.id);
	}

	/** The server log so far (for assertions on messages and for debugging). */
	readLog(): string {
		return readFileSync(this.logFile, 'utf8');
	}

	/** Stops n8n and its task runner; removes the temporary user folder unless N8N_E2E_KEEP is set. */
	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		await stopGroup(this.child);
		process.removeListener('exit', this.exitGuard);
		if (this.removeUserFolderOnStop && !process.env.N8N_E2E_KEEP) {
			rmSync(this.userFolder, { recursive: true, force: true });
		}
	}

	private parseFlatted(text: string): unknown {
		// n8n's own copy of `flatted`, so this follows the format of the pinned version.
		const requireFromN8n = createRequire(
			join(this.install.dir, 'node_modules', 'n8n', 'package.json'),
		);
		const flatted = requireFromN8n('flatted') as { parse(text: string): unknown };
		return flatted.parse(text);
	}

	private cliEnv(): NodeJS.ProcessEnv {
		return cliEnvironment(this.env);
	}
}

/** CLI commands open their own task broker; give them a port that cannot clash with the server's. */
function cliEnvironment(serverEnv: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const brokerPort = Number(serverEnv.N8N_RUNNERS_BROKER_PORT) + 1;
	return { ...serverEnv, N8N_RUNNERS_BROKER_PORT: String(brokerPort) };
}

async function importCredentialsWithCli(
	install: N8nInstall,
	serverEnv: NodeJS.ProcessEnv,
	logFile: string,
	scratchDir: string,
	credentials: CredentialFixture[],
): Promise<void> {
	const file = join(scratchDir, `credentials-${Date.now()}.json`);
	writeFileSync(file, JSON.stringify(credentials));
	try {
		const result = await runN8nCli(
			install,
			['import:credentials', `--input=${file}`],
			cliEnvironment(serverEnv),
			logFile,
		);
		if (result.code !== 0) throw new Error(`import:credentials failed:\n${tail(result.output)}`);
	} finally {
		rmSync(file, { force: true });
	}
}

export function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}

/** test-results/e2e/, created on first use. */
export function resultsDir(): string {
	const dir = join(REPO_ROOT, 'test-results', 'e2e');
	mkdirSync(dir, { recursive: true });
	return dir;
}

export function serverEnvironment(
	install: N8nInstall,
	settings: {
		port: number;
		brokerPort: number;
		userFolder: string;
		filesDir: string;
		binaryDataMode?: string;
	},
	extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
	const baseUrl = `http://127.0.0.1:${settings.port}`;
	const vars: Record<string, string> = {
		N8N_USER_FOLDER: settings.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_PORT: String(settings.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		N8N_EDITOR_BASE_URL: baseUrl,
		WEBHOOK_URL: `${baseUrl}/`,
		N8N_SECURE_COOKIE: 'false',
		N8N_RUNNERS_BROKER_PORT: String(settings.brokerPort),
		N8N_RESTRICT_FILE_ACCESS_TO: settings.filesDir,
		N8N_INSTANCE_OWNER_MANAGED_BY_ENV: 'true',
		N8N_INSTANCE_OWNER_EMAIL: OWNER.email,
		N8N_INSTANCE_OWNER_FIRST_NAME: OWNER.firstName,
		N8N_INSTANCE_OWNER_LAST_NAME: OWNER.lastName,
		N8N_INSTANCE_OWNER_PASSWORD_HASH: OWNER.passwordHash,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_LOG_LEVEL: 'info',
	};
	if (settings.binaryDataMode) vars.N8N_DEFAULT_BINARY_DATA_MODE = settings.binaryDataMode;
	return n8nEnvironment(install, { ...vars, ...extra });
}

/** Resolves once /healthz/readiness is 200 and n8n logged that the editor is accessible (webhooks registered). */
export async function waitUntilReady(
	baseUrl: string,
	logFile: string,
	child: ChildProcess,
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	const fail = (reason: string) =>
		new Error(
			`n8n ${reason}; last log lines (${logFile}):\n${tail(readFileSync(logFile, 'utf8'))}`,
		);
	let ready = false;
	while (Date.now() < deadline) {
		if (hasExited(child))
			throw fail(`exited early (code ${child.exitCode}, signal ${child.signalCode})`);
		if (!ready) {
			const status = await fetch(`${baseUrl}/healthz/readiness`, {
				signal: AbortSignal.timeout(2000),
			})
				.then((response) => response.status)
				.catch(() => 0);
			ready = status === 200;
		}
		// Published workflows' webhooks are registered only once the editor line is logged.
		if (ready && readFileSync(logFile, 'utf8').includes(EDITOR_READY_LINE)) return;
		await new Promise((resolve) => setTimeout(resolve, READY_POLL_MS));
	}
	throw fail(`was not ready within ${timeoutMs} ms`);
}

/** Installs n8n if needed, loads the built package into a fresh user folder and starts `n8n start`. */
export async function startN8n(options: StartN8nOptions = {}): Promise<N8nInstance> {
	const install = await ensureN8nInstalled();
	const ownsUserFolder = !options.userFolder;
	const userFolder = options.userFolder ?? mkdtempSync(join(tmpdir(), 'n8n-e2e-'));
	try {
		const filesDir = join(userFolder, 'files');
		mkdirSync(filesDir, { recursive: true });
		installPackageInto(join(userFolder, '.n8n'), options.packageDir ?? (process.env.N8N_E2E_PACKAGE_DIR || undefined));
		const logFile =
			options.logFile ?? join(resultsDir(), `${options.name ?? basename(userFolder)}.n8n.log`);
		writeFileSync(logFile, '');
		for (let attempt = 1; ; attempt++) {
			const [port, brokerPort] = options.port
				? [options.port, ...(await freePorts(1))]
				: await freePorts(2);
			const env = serverEnvironment(
				install,
				{ port, brokerPort, userFolder, filesDir, binaryDataMode: options.binaryDataMode },
				options.env,
			);
			if (attempt === 1 && options.credentials?.length) {
				await importCredentialsWithCli(install, env, logFile, userFolder, options.credentials);
			}
			const logOffset = statSync(logFile).size;
			const instance = spawnServer(install, env, {
				port,
				userFolder,
				filesDir,
				logFile,
				nodeArgs: options.nodeArgs ?? [],
			});
			try {
				await waitUntilReady(
					instance.baseUrl,
					logFile,
					instance.process,
					options.readyTimeoutMs ?? N8N_WARM_START_TIMEOUT_MS,
				);
				// n8n 1.x (compatibility runs) ignores N8N_INSTANCE_OWNER_*: sign the owner up instead.
				if (!managesOwnerFromEnv(install)) {
					await setUpOwnerOverRest(new N8nRestClient(instance.baseUrl), OWNER);
				}
				instance.removeUserFolderOnStop = ownsUserFolder;
				return instance;
			} catch (error) {
				await instance.stop();
				// Another process may have taken a port between our probe and n8n's bind: retry.
				const thisAttempt = readFileSync(logFile).subarray(logOffset).toString();
				const portTaken = /already in use|EADDRINUSE/.test(thisAttempt);
				if (!portTaken || options.port || attempt >= START_ATTEMPTS) throw error;
			}
		}
	} catch (error) {
		if (ownsUserFolder) rmSync(userFolder, { recursive: true, force: true });
		throw error;
	}
}

/** Spawns `n8n start` in its own process group (so stop() also ends its task runner). */
export function spawnServer(
	install: N8nInstall,
	env: NodeJS.ProcessEnv,
	where: { port: number; userFolder: string; filesDir: string; logFile: string; nodeArgs: string[] },
): N8nInstance {
	const log = openSync(where.logFile, 'a');
	const child = spawn(install.nodeBin, [...where.nodeArgs, install.n8nBin, 'start'], {
		env,
		cwd: where.userFolder,
		// Its own process group, so stop() also reaches the task runner n8n spawns.
		detached: true,
		stdio: ['ignore', log, log],
	});
	closeSync(log);
	return new N8nInstance(
		install,
		`http://127.0.0.1:${where.port}`,
		where.port,
		where.userFolder,
		where.filesDir,
		where.logFile,
		env,
		child,
	);
}
