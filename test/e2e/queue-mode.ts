/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// n8n in queue mode for the test loop: a throwaway PostgreSQL and a throwaway Redis on free
// loopback ports, one `n8n start` (main: REST, webhooks, enqueues executions) and N `n8n worker`
// processes (run them), every one with the built package installed as a community package.
//
//   const queue = await startQueueMode({ name: 'queue' });     // logs: test-results/e2e/queue.*.log
//   await queue.main.login();                                   // queue.main is an N8nInstance
//   ...
//   queue.runnerOf(executionId)                                 // which worker's log says it ran it
//   await queue.stop();                                         // every process, every data dir
//
// Which process ran an execution: n8n 2.41 stores no worker id with an execution (and a worker's
// `hostId` is `worker-<hostname>` inside Docker, the same for every worker on one machine), so the
// evidence is each process's own log: the main logs "Enqueued execution <id> (job <n>)", the worker
// that took the job logs "Worker started execution <id> (job <n>)" and "Worker finished execution
// <id>". Each process writes its own log file.
//
// Nothing is left behind: every process runs in its own process group and is stopped by stop(),
// also when start-up fails half way; a process-exit guard SIGKILLs the groups if the test process
// exits without stop(); and a small reaper (a detached `sh`) kills the groups and deletes the
// folders if the test process itself is killed.
import { type ChildProcess, execFileSync, spawn } from 'child_process';
import { createRequire } from 'module';
import {
	chmodSync,
	chownSync,
	closeSync,
	existsSync,
	mkdirSync,
	mkdtempSync,
	openSync,
	readFileSync,
	readdirSync,
	rmSync,
	statSync,
	writeFileSync,
} from 'fs';
import { connect } from 'net';
import { tmpdir } from 'os';
import { join } from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { freePorts } from './free-port';
import {
	type CredentialFixture,
	N8N_WARM_START_TIMEOUT_MS,
	type N8nInstance,
	resultsDir,
	serverEnvironment,
	spawnServer,
	tail,
	waitUntilReady,
} from './harness';
import { ensureN8nInstalled, type N8nInstall } from './install-n8n';
import { hasExited, killGroup } from './n8n-process';
import { installPackageInto } from './package-install';

/** Cold n8n cache (installed first) plus PostgreSQL, Redis, the main's migrations and the workers. */
export const QUEUE_START_TIMEOUT_MS = 15 * 60 * 1000;

const SERVICE_READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 20_000;
const POLL_MS = 200;
const START_ATTEMPTS = 3;
const WORKER_READY_LINE = 'n8n worker is now ready';
/** Ended jobs n8n keeps in Redis (N8N_EXECUTIONS_QUEUE_KEEP_LAST_*; n8n's default 0 loses webhook answers, see sharedEnv). */
export const QUEUE_JOBS_KEPT = 100;

export interface QueueModeOptions {
	/** Prefix of the log files: test-results/e2e/<name>.{postgres,redis,main,worker-1,...}.log */
	name: string;
	/** Number of `n8n worker` processes (default 2). */
	workers?: number;
	/**
	 * Jobs one worker runs at once (`n8n worker --concurrency`). Default 4: with 2 workers, 8
	 * executions started together cannot all land on one worker. n8n logs a warning below 5.
	 */
	workerConcurrency?: number;
	/** Package to install into every process's user folder; defaults to this repository (built). */
	packageDir?: string;
	/** Imported with the CLI into the shared database once the main is up. */
	credentials?: CredentialFixture[];
	/** Extra environment for every n8n process (main and workers). */
	env?: Record<string, string>;
	/** Extra environment for the workers only. */
	workerEnv?: Record<string, string>;
	/** Flags for the workers' Node runtime. */
	workerNodeArgs?: string[];
	/** Bound on each n8n process becoming ready (after the install). */
	readyTimeoutMs?: number;
}

// ---------------------------------------------------------------------------------------------
// Process plumbing shared by PostgreSQL, Redis and the n8n processes
// ---------------------------------------------------------------------------------------------

function exited(child: ChildProcess): Promise<void> {
	return hasExited(child) ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Sends `signal` (to the leader, or to the whole group), waits up to `graceMs`, then SIGKILLs the group. */
async function stopProcess(child: ChildProcess, signal: NodeJS.Signals, graceMs = STOP_GRACE_MS, wholeGroup = true): Promise<void> {
	if (!hasExited(child) && child.pid) {
		try {
			process.kill(wholeGroup ? -child.pid : child.pid, signal);
		} catch {
			// already gone
		}
		let timer: NodeJS.Timeout | undefined;
		const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
		const outcome = await Promise.race([exited(child), timedOut]);
		clearTimeout(timer);
		if (outcome === 'timeout') {
			killGroup(child, 'SIGKILL');
			await Promise.race([exited(child), sleep(5_000)]);
		}
	}
	killGroup(child, 'SIGKILL'); // stragglers of the group (backends, task runners)
}

function findExecutable(name: string, extraDirs: string[] = []): string | undefined {
	for (const dir of [...extraDirs, ...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/usr/bin']) {
		if (dir && existsSync(join(dir, name))) return join(dir, name);
	}
	return undefined;
}

/**
 * Kills process groups and deletes folders once `ownerPid` is gone: covers a test process that is
 * itself SIGKILLed (a CI timeout) and so never runs stop() or its exit guard. One `sh` per stack.
 */
class Reaper {
	private readonly file: string;
	private readonly child: ChildProcess;
	private readonly groups = new Set<number>();
	private readonly dirs = new Set<string>();

	constructor() {
		this.file = join(tmpdir(), `n8n-queue-reaper-${process.pid}-${Date.now()}.list`);
		writeFileSync(this.file, '');
		const script = [
			`while kill -0 ${process.pid} 2>/dev/null && [ -f "$1" ]; do sleep 1; done`,
			'[ -f "$1" ] || exit 0',
			'while read kind value; do',
			'  if [ "$kind" = group ]; then kill -KILL -- "-$value" 2>/dev/null; fi',
			'done < "$1"',
			'sleep 1',
			'while read kind value; do',
			'  if [ "$kind" = dir ]; then rm -rf -- "$value"; fi',
			'done < "$1"',
			'rm -f -- "$1"',
		].join('\n');
		this.child = spawn('sh', ['-c', script, 'n8n-queue-reaper', this.file], { detached: true, stdio: 'ignore' });
		this.child.unref();
	}

	watchGroup(pid: number | undefined): void {
		if (!pid) return;
		this.groups.add(pid);
		this.write();
	}

	watchDir(dir: string): void {
		this.dirs.add(dir);
		this.write();
	}

	/** Everything was stopped and deleted properly: the reaper ends without touching anything. */
	dismiss(): void {
		rmSync(this.file, { force: true });
		killGroup(this.child, 'SIGKILL');
	}

	private write(): void {
		const lines = [...[...this.groups].map((pid) => `group ${pid}`), ...[...this.dirs].map((dir) => `dir ${dir}`)];
		writeFileSync(this.file, `${lines.join('\n')}\n`);
	}
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL
// ---------------------------------------------------------------------------------------------

export interface ThrowawayPostgres {
	host: string;
	port: number;
	user: string;
	password: string;
	database: string;
	pid: number;
	logFile: string;
	/** One statement over a fresh connection (n8n's own `pg` client). */
	query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
	stop(): Promise<void>;
}

interface PgClient {
	connect(): Promise<void>;
	query(sql: string, params?: unknown[]): Promise<{ rows: unknown[] }>;
	end(): Promise<void>;
	on(event: 'error', listener: (error: Error) => void): void;
}
type PgClientClass = new (config: Record<string, unknown>) => PgClient;

function pgClientClass(install: N8nInstall): PgClientClass {
	const requireFromN8n = createRequire(join(install.dir, 'node_modules', 'n8n', 'package.json'));
	return (requireFromN8n('pg') as { Client: PgClientClass }).Client;
}

/** Debian keeps the server binaries in /usr/lib/postgresql/<major>/bin, outside PATH. */
function postgresBinDir(): string {
	const root = '/usr/lib/postgresql';
	if (existsSync(root)) {
		const majors = readdirSync(root)
			.filter((entry) => /^\d+$/.test(entry) && existsSync(join(root, entry, 'bin', 'initdb')))
			.sort((a, b) => Number(b) - Number(a));
		if (majors.length > 0) return join(root, majors[0], 'bin');
	}
	const initdb = findExecutable('initdb');
	if (initdb && findExecutable('postgres')) return join(initdb, '..');
	throw new Error('PostgreSQL server binaries (initdb, postgres) not found: apt-get install -y --no-install-recommends postgresql');
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` OS user (the Debian package creates it). */
function postgresOsUser(): { uid: number; gid: number } | undefined {
	if (process.getuid?.() !== 0) return undefined;
	const line = readFileSync('/etc/passwd', 'utf8')
		.split('\n')
		.find((entry) => entry.startsWith('postgres:'));
	if (!line) throw new Error('running as root, but there is no `postgres` OS user to run PostgreSQL as (apt-get install postgresql creates it)');
	const [, , uid, gid] = line.split(':');
	return { uid: Number(uid), gid: Number(gid) };
}

function runAs(file: string, args: string[], osUser: { uid: number; gid: number } | undefined, cwd: string, logFile: string): void {
	const log = openSync(logFile, 'a');
	try {
		execFileSync(file, args, {
			cwd,
			stdio: ['ignore', log, log],
			timeout: SERVICE_READY_TIMEOUT_MS,
			env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LC_ALL: 'C' },
			...(osUser ?? {}),
		});
	} finally {
		closeSync(log);
	}
}

/** initdb into a fresh folder under os.tmpdir(), then `postgres` on a free 127.0.0.1 port (no Unix socket, no fsync). */
export async function startPostgres(options: { logFile: string; install: N8nInstall; reaper?: Reaper }): Promise<ThrowawayPostgres> {
	const bin = postgresBinDir();
	const osUser = postgresOsUser();
	const root = mkdtempSync(join(tmpdir(), 'n8n-queue-pg-'));
	options.reaper?.watchDir(root);
	const dataDir = join(root, 'data');
	let child: ChildProcess | undefined;
	try {
		chmodSync(root, 0o755);
		mkdirSync(dataDir, { mode: 0o700 });
		if (osUser) {
			chownSync(root, osUser.uid, osUser.gid);
			chownSync(dataDir, osUser.uid, osUser.gid);
		}
		writeFileSync(options.logFile, '');
		runAs(join(bin, 'initdb'), ['-D', dataDir, '-U', 'n8n', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync'], osUser, root, options.logFile);
		const Client = pgClientClass(options.install);
		for (let attempt = 1; ; attempt++) {
			const [port] = await freePorts(1);
			const log = openSync(options.logFile, 'a');
			const offset = statSync(options.logFile).size;
			child = spawn(
				join(bin, 'postgres'),
				[
					'-D', dataDir, '-p', String(port), '-h', '127.0.0.1', '-k', '',
					// A throwaway database: durability buys nothing here.
					'-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
					'-c', 'max_connections=200',
				],
				{ cwd: root, detached: true, stdio: ['ignore', log, log], env: { PATH: process.env.PATH ?? '', LC_ALL: 'C' }, ...(osUser ?? {}) },
			);
			closeSync(log);
			options.reaper?.watchGroup(child.pid);
			const config = { host: '127.0.0.1', port, user: 'n8n', password: 'n8n', database: 'postgres' };
			const ready = await waitFor(SERVICE_READY_TIMEOUT_MS, async () => {
				if (hasExited(child!)) return 'exited';
				const client = new Client({ ...config, connectionTimeoutMillis: 2000 });
				client.on('error', () => undefined);
				try {
					await client.connect();
					await client.end();
					return 'ready';
				} catch {
					return undefined;
				}
			});
			if (ready === 'ready') {
				const admin = new Client(config);
				await admin.connect();
				await admin.query('CREATE DATABASE n8n');
				await admin.end();
				const postgres = child;
				const stop = async () => {
					// SIGINT to the postmaster is PostgreSQL's "fast" shutdown: backends end, no waiting for clients.
					await stopProcess(postgres, 'SIGINT', STOP_GRACE_MS, false);
					if (!process.env.N8N_E2E_KEEP) rmSync(root, { recursive: true, force: true });
				};
				return {
					host: '127.0.0.1',
					port,
					user: 'n8n',
					password: 'n8n',
					database: 'n8n',
					pid: postgres.pid!,
					logFile: options.logFile,
					query: async <T>(sql: string, params?: unknown[]) => {
						const client = new Client({ ...config, database: 'n8n' });
						client.on('error', () => undefined);
						await client.connect();
						try {
							return (await client.query(sql, params)).rows as T[];
						} finally {
							await client.end();
						}
					},
					stop,
				};
			}
			await stopProcess(child, 'SIGKILL', 1_000);
			const thisAttempt = readFileSync(options.logFile).subarray(offset).toString();
			if (!/already in use|could not bind/i.test(thisAttempt) || attempt >= START_ATTEMPTS) {
				throw new Error(`PostgreSQL ${ready ?? 'did not accept connections'} (log ${options.logFile}):\n${tail(thisAttempt)}`);
			}
		}
	} catch (error) {
		if (child) await stopProcess(child, 'SIGKILL', 1_000);
		rmSync(root, { recursive: true, force: true });
		throw error;
	}
}

// ---------------------------------------------------------------------------------------------
// Redis
// ---------------------------------------------------------------------------------------------

export interface ThrowawayRedis {
	host: string;
	port: number;
	pid: number;
	logFile: string;
	/** One command, RESP over a fresh connection; returns the raw reply text. */
	command(...args: string[]): Promise<string>;
	stop(): Promise<void>;
}

function redisCommand(port: number, args: string[], timeoutMs = 2_000): Promise<string> {
	return new Promise((resolve, reject) => {
		const socket = connect({ host: '127.0.0.1', port });
		let reply = '';
		const timer = setTimeout(() => socket.destroy(new Error('redis did not answer')), timeoutMs);
		socket.on('connect', () => {
			socket.write(`*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`);
		});
		socket.on('data', (data) => {
			reply += data.toString();
			if (reply.endsWith('\r\n')) {
				clearTimeout(timer);
				socket.end();
				resolve(reply);
			}
		});
		socket.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
	});
}

/** redis-server on a free 127.0.0.1 port, no persistence (no RDB snapshots, no AOF), its dir a temp folder. */
export async function startRedis(options: { logFile: string; reaper?: Reaper }): Promise<ThrowawayRedis> {
	const binary = findExecutable('redis-server');
	if (!binary) throw new Error('redis-server not found: apt-get install -y --no-install-recommends redis-server');
	const dir = mkdtempSync(join(tmpdir(), 'n8n-queue-redis-'));
	options.reaper?.watchDir(dir);
	writeFileSync(options.logFile, '');
	let child: ChildProcess | undefined;
	try {
		for (let attempt = 1; ; attempt++) {
			const [port] = await freePorts(1);
			const offset = statSync(options.logFile).size;
			const log = openSync(options.logFile, 'a');
			child = spawn(
				binary,
				[
					'--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes',
					'--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no', '--logfile', '',
				],
				{ cwd: dir, detached: true, stdio: ['ignore', log, log] },
			);
			closeSync(log);
			options.reaper?.watchGroup(child.pid);
			const ready = await waitFor(SERVICE_READY_TIMEOUT_MS, async () => {
				if (hasExited(child!)) return 'exited';
				const reply = await redisCommand(port, ['PING']).catch(() => '');
				return reply.startsWith('+PONG') ? 'ready' : undefined;
			});
			if (ready === 'ready') {
				const redis = child;
				return {
					host: '127.0.0.1',
					port,
					pid: redis.pid!,
					logFile: options.logFile,
					command: (...args: string[]) => redisCommand(port, args),
					stop: async () => {
						await stopProcess(redis, 'SIGTERM', 10_000);
						if (!process.env.N8N_E2E_KEEP) rmSync(dir, { recursive: true, force: true });
					},
				};
			}
			await stopProcess(child, 'SIGKILL', 1_000);
			const thisAttempt = readFileSync(options.logFile).subarray(offset).toString();
			if (!/in use|bind/i.test(thisAttempt) || attempt >= START_ATTEMPTS) {
				throw new Error(`Redis ${ready ?? 'did not answer PING'} (log ${options.logFile}):\n${tail(thisAttempt)}`);
			}
		}
	} catch (error) {
		if (child) await stopProcess(child, 'SIGKILL', 1_000);
		rmSync(dir, { recursive: true, force: true });
		throw error;
	}
}

async function waitFor<T>(timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T | undefined> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		const value = await probe();
		if (value !== undefined) return value;
		await sleep(POLL_MS);
	}
	return undefined;
}

// ---------------------------------------------------------------------------------------------
// n8n workers
// ---------------------------------------------------------------------------------------------

export class N8nWorker {
	private stopped = false;

	constructor(
		readonly name: string,
		readonly userFolder: string,
		readonly logFile: string,
		/** Its health server (QUEUE_HEALTH_CHECK_PORT): /healthz and /healthz/readiness. */
		readonly healthPort: number,
		/** Its task broker (N8N_RUNNERS_BROKER_PORT); the task runner it spawns connects here. */
		readonly brokerPort: number,
		private readonly child: ChildProcess,
		/** Where this process's part of the log starts (a restarted worker appends to its slot's log). */
		private readonly logOffset = 0,
	) {
		// Where it ends: once this process has exited, a successor may append to the same file.
		child.once('exit', () => {
			this.logEnd = statSync(logFile).size;
		});
	}

	private logEnd: number | undefined;

	/** The `n8n worker` Node process itself (leader of a group with its task runner). */
	get pid(): number | undefined {
		return this.child.pid;
	}

	get process(): ChildProcess {
		return this.child;
	}

	get running(): boolean {
		return !hasExited(this.child);
	}

	/** What this process logged. */
	readLog(): string {
		return readFileSync(this.logFile).subarray(this.logOffset, this.logEnd).toString();
	}

	/** Execution ids this worker's log says it started ("Worker started execution <id> (job <n>)"). */
	startedExecutions(): string[] {
		return [...this.readLog().matchAll(/Worker started execution (\d+) \(job /g)].map((match) => match[1]);
	}

	finishedExecutions(): string[] {
		return [...this.readLog().matchAll(/Worker finished execution (\d+) \(job /g)].map((match) => match[1]);
	}

	/** Signals the whole process group at once (SIGKILL: as an OOM kill or a lost machine would). */
	kill(signal: NodeJS.Signals = 'SIGKILL'): void {
		killGroup(this.child, signal);
	}

	async stop(): Promise<void> {
		if (this.stopped) return;
		this.stopped = true;
		await stopProcess(this.child, 'SIGTERM');
	}
}

// ---------------------------------------------------------------------------------------------
// The stack
// ---------------------------------------------------------------------------------------------

export interface QueueMode {
	install: N8nInstall;
	postgres: ThrowawayPostgres;
	redis: ThrowawayRedis;
	/** `n8n start` in queue mode: REST, webhooks, enqueueing. The usual N8nInstance API. */
	main: N8nInstance;
	workers: N8nWorker[];
	/** The one folder Read/Write Files may use, shared by every process. */
	filesDir: string;
	/** The environment every n8n process shares (without per-process ports and folders). */
	sharedEnv: Record<string, string>;
	/** The worker processes (restarted ones included) whose logs say they started this execution (one when all is well). */
	runnersOf(executionId: string): N8nWorker[];
	/** Waits (bounded) until a worker's log says it started the execution; throws if none or several did. */
	runnerOf(executionId: string, timeoutMs?: number): Promise<N8nWorker>;
	/** Whether the main's log says it enqueued the execution ("Enqueued execution <id> (job <n>)"). */
	enqueued(executionId: string): boolean;
	/** Starts a new worker process in place of workers[index] (same user folder, new ports). */
	restartWorker(index: number): Promise<N8nWorker>;
	stop(): Promise<void>;
}

/** Starts PostgreSQL, Redis, the main and the workers; stops whatever it started if any step fails. */
export async function startQueueMode(options: QueueModeOptions): Promise<QueueMode> {
	const install = await ensureN8nInstalled();
	const workerCount = options.workers ?? 2;
	const concurrency = options.workerConcurrency ?? 4;
	const readyTimeoutMs = options.readyTimeoutMs ?? N8N_WARM_START_TIMEOUT_MS;
	const logBase = join(resultsDir(), options.name);
	const reaper = new Reaper();
	const root = mkdtempSync(join(tmpdir(), 'n8n-queue-'));
	reaper.watchDir(root);
	const filesDir = join(root, 'files');
	mkdirSync(filesDir, { recursive: true });

	// Stopped in reverse order of starting, whatever happens.
	const stops: Array<() => Promise<void>> = [];
	const exitGuards: number[] = [];
	const exitGuard = () => {
		for (const pid of exitGuards) {
			try {
				process.kill(-pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
	};
	process.once('exit', exitGuard);
	const stopAll = async () => {
		const errors: unknown[] = [];
		for (const stop of stops.splice(0).reverse()) {
			try {
				await stop();
			} catch (error) {
				errors.push(error);
			}
		}
		process.removeListener('exit', exitGuard);
		if (!process.env.N8N_E2E_KEEP) rmSync(root, { recursive: true, force: true });
		reaper.dismiss();
		if (errors.length > 0) throw errors[0];
	};

	try {
		const postgres = await startPostgres({ logFile: `${logBase}.postgres.log`, install, reaper });
		exitGuards.push(postgres.pid);
		stops.push(() => postgres.stop());
		const redis = await startRedis({ logFile: `${logBase}.redis.log`, reaper });
		exitGuards.push(redis.pid);
		stops.push(() => redis.stop());

		const sharedEnv: Record<string, string> = {
			EXECUTIONS_MODE: 'queue',
			// 2.41 still runs manual (editor) executions on the main unless this is set.
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: postgres.host,
			DB_POSTGRESDB_PORT: String(postgres.port),
			DB_POSTGRESDB_DATABASE: postgres.database,
			DB_POSTGRESDB_USER: postgres.user,
			DB_POSTGRESDB_PASSWORD: postgres.password,
			QUEUE_BULL_REDIS_HOST: redis.host,
			QUEUE_BULL_REDIS_PORT: String(redis.port),
			// By default n8n removes a job from Redis the moment it ends. A webhook's answer then
			// waits for Bull's "completed" event alone, and when a worker ends the job before the
			// main listens (the main busy for a moment), the answer never comes, although the
			// execution succeeded. Kept jobs are seen as ended instead. See the README, "Running at
			// scale: queue mode with workers", and test/e2e/README.md for the measurements.
			N8N_EXECUTIONS_QUEUE_KEEP_LAST_COMPLETED: String(QUEUE_JOBS_KEPT),
			N8N_EXECUTIONS_QUEUE_KEEP_LAST_FAILED: String(QUEUE_JOBS_KEPT),
			N8N_RESTRICT_FILE_ACCESS_TO: filesDir,
			...(options.env ?? {}),
		};

		// The main first: it runs the migrations on the empty database.
		const mainFolder = join(root, 'main');
		// The workers get a copy of the main's installed copy: one read of dist/ (which a concurrent
		// `npm run build` may be replacing), the same code in every process.
		const installedPackage = installPackageInto(join(mainFolder, '.n8n'), options.packageDir ?? (process.env.N8N_E2E_PACKAGE_DIR || undefined));
		const mainLog = `${logBase}.main.log`;
		writeFileSync(mainLog, '');
		let main: N8nInstance | undefined;
		for (let attempt = 1; !main; attempt++) {
			const [port, brokerPort] = await freePorts(2);
			const env = serverEnvironment(install, { port, brokerPort, userFolder: mainFolder, filesDir }, sharedEnv);
			const offset = statSync(mainLog).size;
			const instance = spawnServer(install, env, { port, userFolder: mainFolder, filesDir, logFile: mainLog, nodeArgs: [] });
			if (instance.pid) exitGuards.push(instance.pid);
			reaper.watchGroup(instance.pid);
			stops.push(() => instance.stop());
			try {
				await waitUntilReady(instance.baseUrl, mainLog, instance.process, readyTimeoutMs);
				main = instance;
			} catch (error) {
				await instance.stop();
				const thisAttempt = readFileSync(mainLog).subarray(offset).toString();
				if (!/already in use|EADDRINUSE/.test(thisAttempt) || attempt >= START_ATTEMPTS) throw error;
			}
		}
		const mainInstance = main;

		const workersStarted = new Set<number>();
		/** Every worker process started, restarted ones included: executions are attributed per process. */
		const everStarted: N8nWorker[] = [];
		const startWorker = async (index: number): Promise<N8nWorker> => {
			const name = `worker-${index + 1}`;
			const userFolder = join(root, name);
			if (!existsSync(join(userFolder, '.n8n', 'nodes'))) {
				installPackageInto(join(userFolder, '.n8n'), installedPackage);
			}
			const logFile = `${logBase}.${name}.log`;
			if (!existsSync(logFile) || !workersStarted.has(index)) writeFileSync(logFile, '');
			workersStarted.add(index);
			for (let attempt = 1; ; attempt++) {
				const [healthPort, brokerPort] = await freePorts(2);
				const env = serverEnvironment(
					install,
					// N8N_PORT and the URLs name the main: a worker serves no editor or webhooks.
					{ port: mainInstance.port, brokerPort, userFolder, filesDir },
					{
						...sharedEnv,
						QUEUE_HEALTH_CHECK_ACTIVE: 'true',
						QUEUE_HEALTH_CHECK_PORT: String(healthPort),
						N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
						...(options.workerEnv ?? {}),
					},
				);
				const offset = statSync(logFile).size;
				const log = openSync(logFile, 'a');
				const child = spawn(install.nodeBin, [...(options.workerNodeArgs ?? []), install.n8nBin, 'worker', `--concurrency=${concurrency}`], {
					env,
					cwd: userFolder,
					detached: true,
					stdio: ['ignore', log, log],
				});
				closeSync(log);
				if (child.pid) exitGuards.push(child.pid);
				reaper.watchGroup(child.pid);
				const worker = new N8nWorker(name, userFolder, logFile, healthPort, brokerPort, child, offset);
				everStarted.push(worker);
				stops.push(() => worker.stop());
				const ready = await waitFor(readyTimeoutMs, async () => {
					if (!worker.running) return 'exited';
					const status = await fetch(`http://127.0.0.1:${healthPort}/healthz/readiness`, { signal: AbortSignal.timeout(2000) })
						.then((response) => response.status)
						.catch(() => 0);
					return status === 200 && readFileSync(logFile).subarray(offset).includes(WORKER_READY_LINE) ? 'ready' : undefined;
				});
				if (ready === 'ready') return worker;
				await worker.stop();
				const thisAttempt = readFileSync(logFile).subarray(offset).toString();
				if (!/already in use|EADDRINUSE/.test(thisAttempt) || attempt >= START_ATTEMPTS) {
					throw new Error(`n8n ${name} ${ready === 'exited' ? 'exited early' : `was not ready within ${readyTimeoutMs} ms`}; last log lines (${logFile}):\n${tail(thisAttempt)}`);
				}
			}
		};

		// In parallel, but every task settles before a failure tears down (nothing may start after it).
		const settled = await Promise.allSettled([
			...Array.from({ length: workerCount }, (_, index) => startWorker(index)),
			options.credentials?.length ? mainInstance.importCredentials(options.credentials) : Promise.resolve(),
		]);
		const failed = settled.find((result): result is PromiseRejectedResult => result.status === 'rejected');
		if (failed) throw failed.reason;
		const workers = settled.slice(0, workerCount).map((result) => (result as PromiseFulfilledResult<N8nWorker>).value);

		const runnersOf = (executionId: string) => everStarted.filter((worker) => worker.startedExecutions().includes(executionId));
		return {
			install,
			postgres,
			redis,
			main: mainInstance,
			workers,
			filesDir,
			sharedEnv,
			runnersOf,
			runnerOf: async (executionId, timeoutMs = 10_000) => {
				const found = await waitFor(timeoutMs, async () => {
					const runners = runnersOf(executionId);
					return runners.length > 0 ? runners : undefined;
				});
				if (!found) throw new Error(`no worker log says it started execution ${executionId}`);
				if (found.length > 1) throw new Error(`execution ${executionId} was started by ${found.map((w) => w.name).join(' and ')}`);
				return found[0];
			},
			enqueued: (executionId) => new RegExp(`Enqueued execution ${executionId} \\(job `).test(mainInstance.readLog()),
			restartWorker: async (index) => {
				await workers[index].stop();
				workers[index] = await startWorker(index);
				return workers[index];
			},
			stop: stopAll,
		};
	} catch (error) {
		await stopAll().catch(() => undefined);
		throw error;
	}
}
