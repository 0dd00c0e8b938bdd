/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// `npm run bench:queue`: the memory of the n8n worker that runs Post Video from binary in queue
// mode, where n8n's default binary data mode is `database` (the file goes into PostgreSQL, and
// n8n 2.41's DatabaseManager buffers it whole on store and on read). Measures, for a 100 MiB and a
// 400 MiB video, the worker's idle RSS, its sampled peak RSS and its kernel peak (VmHWM, reset
// before each run), and whether a file above the database cap (512 MiB by default) enters n8n at
// all. Writes test-results/e2e/queue-memory.md and prints it.
//
//   npm run bench:queue                   100, 250, 260 and 400 MiB, then 530 MiB (above the cap)
//   npm run bench:queue -- --sizes 50,100 other sizes (MiB), then the above-cap file
//   npm run bench:queue -- --no-over-cap  skip the above-cap file
//
// 250 and 260 MiB bracket a limit below n8n's own cap: node-postgres reads a bytea column as hex
// text, and a string of 2 × 256 MiB characters is more than V8 allows (0x1fffffe8), so the read
// throws inside pg's socket handler and the query never settles. Such a run is recognised from
// the worker's log and given up after a short grace. The worker that ran a file is restarted before
// the next one, so each file starts on a fresh worker.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { parseArgs } from 'util';
import { writeFileOfSize } from '../e2e/files';
import type { WorkflowJson } from '../e2e/harness';
import { emulatorOAuth2Credential } from '../e2e/node-stack';
import { assertPackageBuilt, REPO_ROOT } from '../e2e/package-install';
import { startQueueMode, type N8nWorker, type QueueMode } from '../e2e/queue-mode';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process';
import { machineInfo } from './machine';
import { peakBetween, readMemory, resetPeak, RssSampler } from './rss-sampler';

const MiB = 1024 * 1024;
const DB_CAP_MIB = 512; // N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE's default in n8n 2.41
const OVER_CAP_MIB = 530;
const SAMPLE_MS = 50;
/** Bound on one run: generous next to the ~1 s per 10 MiB a working run takes here. */
const runTimeoutMs = (sizeMiB: number) => Math.max(120_000, sizeMiB * 1_500);
/** After the worker logged a failure that leaves the execution hanging, wait this long for an answer anyway. */
const HANG_GRACE_MS = 15_000;
const HANG_SIGNS = /Cannot create a string longer than|FATAL ERROR|JavaScript heap out of memory/;
const BUDGET_MS = 40 * 60 * 1000;
const SETTLE_MS = 5_000;

const { values: args } = parseArgs({
	options: {
		sizes: { type: 'string', default: '100,250,260,400' },
		'no-over-cap': { type: 'boolean', default: false },
	},
});
const sizesMiB = args.sizes.split(',').map(Number).filter((size) => size > 0 && size < 4096);
const progress = (line: string) => process.stderr.write(`[bench:queue] ${line}\n`);
const mib = (kib: number | undefined) => (kib === undefined ? '?' : (kib / 1024).toFixed(0));

interface Row {
	label: string;
	sizeMiB: number;
	worker: string;
	outcome: string;
	seconds: number;
	idleKiB: number | undefined;
	peakSampledKiB: number | undefined;
	hwmKiB: number | undefined;
	otherWorkerPeakKiB: number | undefined;
	mainPeakKiB: number | undefined;
	dbBytes: number;
}

async function main(): Promise<void> {
	assertPackageBuilt();
	const startedAt = new Date();
	const watchdog = setTimeout(() => {
		progress(`time budget of ${BUDGET_MS / 60000} min exceeded: aborting`);
		process.exit(2); // the exit guards stop every process of the stack
	}, BUDGET_MS);
	let emulator: EmulatorProcess | undefined;
	let queue: QueueMode | undefined;
	// Ctrl-C or a kill: exit through process.exit so the stack's exit guards and this one run.
	process.once('SIGINT', () => process.exit(130));
	process.once('SIGTERM', () => process.exit(143));
	process.once('exit', () => {
		if (emulator) {
			try {
				process.kill(emulator.pid, 'SIGKILL');
			} catch {
				// gone
			}
		}
	});
	const rows: Row[] = [];
	let idleAtStart: string[] = [];
	try {
		emulator = await startEmulatorProcess();
		const tokens = await emulator.control('tokens', {});
		progress('starting PostgreSQL, Redis, n8n main and 2 workers');
		queue = await startQueueMode({
			name: 'queue-memory',
			credentials: [emulatorOAuth2Credential('tiktok-oauth-bench', 'TikTok (bench emulator)', emulator.url, tokens)],
		});
		await queue.main.login();
		const workflow = JSON.parse(readFileSync(join(__dirname, 'workflows', 'bench-post-video.json'), 'utf8')) as WorkflowJson;
		const { id: workflowId } = await queue.main.importWorkflow(workflow);
		await sleep(SETTLE_MS);
		idleAtStart = queue.workers.map((worker) => `${worker.name} ${mib(readMemory(worker.pid!)?.rssKiB)} MiB`);

		const plan = [
			...sizesMiB.map((size) => ({ label: `${size} MiB video`, sizeMiB: size })),
			...(args['no-over-cap'] ? [] : [{ label: `${OVER_CAP_MIB} MiB video (above the ${DB_CAP_MIB} MiB database cap)`, sizeMiB: OVER_CAP_MIB }]),
		];
		for (const [index, step] of plan.entries()) {
			progress(`${step.label}: writing the file`);
			const file = await writeFileOfSize(join(queue.filesDir, `video-${index}.mp4`), step.sizeMiB * MiB, 70 + index);
			progress(`${step.label}: running the workflow`);
			rows.push(await measuredRun(queue, emulator, workflowId, step.label, step.sizeMiB, file.path, file.sha256));
			rmSync(file.path, { force: true });
			const row = rows[rows.length - 1];
			progress(`  → ${row.worker}: idle ${mib(row.idleKiB)} MiB, peak ${mib(row.peakSampledKiB)} MiB (VmHWM ${mib(row.hwmKiB)}), ${row.outcome}`);
		}
	} finally {
		clearTimeout(watchdog);
		await queue?.stop();
		await emulator?.stop();
	}
	const report = renderReport(rows, idleAtStart, startedAt, queue?.install.n8nVersion ?? '?');
	const dir = join(REPO_ROOT, 'test-results', 'e2e');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'queue-memory.md'), report);
	process.stdout.write(`\n${report}\nwritten to test-results/e2e/queue-memory.md\n`);
}

async function measuredRun(
	queue: QueueMode,
	emulator: EmulatorProcess,
	workflowId: string,
	label: string,
	sizeMiB: number,
	path: string,
	sha256: string,
): Promise<Row> {
	await sleep(SETTLE_MS);
	const workers = queue.workers;
	const pids = [...workers.map((worker) => worker.pid!), queue.main.pid!];
	const idle = new Map(workers.map((worker) => [worker.name, readMemory(worker.pid!)?.rssKiB]));
	for (const pid of pids) resetPeak(pid);
	const postsBefore = (await emulator.control('state')).posts.length as number;
	const sampler = new RssSampler(pids, SAMPLE_MS);
	sampler.start();
	const from = Date.now();
	const logOffsets = workers.map((worker) => statSync(worker.logFile).size);
	const abort = new AbortController();
	const timeout = setTimeout(() => abort.abort(new Error(`no answer within ${runTimeoutMs(sizeMiB) / 1000} s`)), runTimeoutMs(sizeMiB));
	// A worker that logged an error that leaves its execution hanging: give up after a grace period.
	let hangSign: { worker: N8nWorker; line: string } | undefined;
	const watcher = setInterval(() => {
		if (hangSign) return;
		for (const [index, worker] of workers.entries()) {
			const line = readFileSync(worker.logFile).subarray(logOffsets[index]).toString().split('\n').find((text) => HANG_SIGNS.test(text));
			if (line) {
				hangSign = { worker, line: line.trim() };
				setTimeout(() => abort.abort(new Error(`no answer ${HANG_GRACE_MS / 1000} s after ${worker.name} logged: ${line.trim()}`)), HANG_GRACE_MS);
			}
		}
	}, 1_000);
	let answer: { status: number; text: string };
	try {
		const response = await fetch(`${queue.main.baseUrl}/webhook/bench-post-video`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ files: [{ file: path }], chunkSizeMb: 10 }),
			signal: abort.signal,
		});
		answer = { status: response.status, text: await response.text() };
	} catch (error) {
		const reason = abort.signal.reason as Error | undefined;
		answer = { status: 0, text: `no answer: ${reason?.message ?? (error as Error).message}` };
	} finally {
		clearTimeout(timeout);
		clearInterval(watcher);
	}
	const to = Date.now();
	const hwm = new Map(pids.map((pid) => [pid, readMemory(pid)?.hwmKiB]));
	const samples = sampler.stop();

	const [newest] = await queue.main.listExecutions(workflowId, 1);
	let runner: N8nWorker | undefined;
	let outcome = `HTTP ${answer.status}`;
	if (newest) {
		runner = await queue.runnerOf(newest.id).catch(() => undefined);
		const execution = await queue.main.getExecution(newest.id);
		const failed = Object.entries(execution.nodes).find(([, run]) => run.error);
		const error = failed?.[1].error ?? execution.error;
		const posts = (await emulator.control('state')).posts.slice(postsBefore) as Array<{ sha256: string | null; status: string }>;
		const intact = posts.length === 1 && posts[0].sha256 === sha256;
		if (execution.status === 'success') {
			outcome = `success, TikTok got ${intact ? 'every byte (sha256 equal)' : `NOT the file (${posts.length} posts)`}`;
		} else if (execution.status === 'running' || execution.status === 'new') {
			outcome = `execution ${newest.id} still \`${execution.status}\` (${answer.text}); TikTok: ${posts.length} posts, ${posts.map((post) => post.status).join(', ') || 'none'}`;
		} else {
			outcome = `\`${execution.status}\` in ${failed?.[0] ?? execution.lastNodeExecuted ?? '?'}: ${String(error?.message ?? answer.text).slice(0, 300)}`;
		}
	}
	if (hangSign && runner === undefined) runner = hangSign.worker;
	const other = workers.find((worker) => worker !== runner);
	const [db] = await queue.postgres.query<{ bytes: string }>('SELECT coalesce(sum(octet_length(data)), 0)::bigint AS bytes FROM binary_data');
	const row: Row = {
		label,
		sizeMiB,
		worker: runner?.name ?? '?',
		outcome,
		seconds: (to - from) / 1000,
		idleKiB: runner ? idle.get(runner.name) : undefined,
		peakSampledKiB: runner ? peakBetween(samples, runner.pid!, from, to) : undefined,
		hwmKiB: runner ? hwm.get(runner.pid!) : undefined,
		otherWorkerPeakKiB: other ? peakBetween(samples, other.pid!, from, to) : undefined,
		mainPeakKiB: peakBetween(samples, queue.main.pid!, from, to),
		dbBytes: Number(db?.bytes ?? 0),
	};
	// The worker that ran it keeps much of the run's memory (and a hung execution its slot): the
	// next file starts on fresh workers, so every row's idle RSS is a fresh worker's.
	const used = hangSign?.worker ?? runner;
	if (used && queue.workers.includes(used)) {
		if (hangSign) progress(`  ${hangSign.worker.name} logged "${hangSign.line}"`);
		progress(`  restarting ${used.name}`);
		await queue.restartWorker(queue.workers.indexOf(used));
	}
	return row;
}

function renderReport(rows: Row[], idleAtStart: string[], startedAt: Date, n8nVersion: string): string {
	const machine = machineInfo();
	return [
		`# Worker memory in queue mode, binary data in \`database\` mode (n8n ${n8nVersion}, ${startedAt.toISOString()})`,
		'',
		`Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.kernel}, load ${machine.loadAverage1m} at the start.`,
		'',
		'Workflow: Webhook → Split Out → Read/Write Files → TikTok Post Video (binary, 10 MiB chunks), one item;',
		`2 workers (\`--concurrency=4\`), PostgreSQL and Redis throwaway instances; RSS sampled every ${SAMPLE_MS} ms from /proc/<pid>/status,`,
		'VmHWM reset (clear_refs 5) before each run. Idle after start-up: ' + idleAtStart.join(', ') + '.',
		'"idle RSS" is the worker\'s VmRSS 5 s before the run. A worker keeps much of a big run\'s memory afterwards (and a',
		'hung execution its slot), so the worker that ran a file is restarted before the next one: every row starts on a fresh worker.',
		'',
		'| file | run by | idle RSS (MiB) | peak RSS sampled (MiB) | VmHWM (MiB) | peak − idle (MiB) | peak / file size | other worker peak (MiB) | main peak (MiB) | binary_data in PostgreSQL after (MiB) | time (s) | outcome |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|',
		...rows.map((row) => {
			const peak = Math.max(row.peakSampledKiB ?? 0, row.hwmKiB ?? 0);
			const growth = row.idleKiB === undefined || !peak ? undefined : peak - row.idleKiB;
			return `| ${row.label} | ${row.worker} | ${mib(row.idleKiB)} | ${mib(row.peakSampledKiB)} | ${mib(row.hwmKiB)} | ${mib(growth)} | ${
				growth === undefined ? '?' : (growth / 1024 / row.sizeMiB).toFixed(2)
			} | ${mib(row.otherWorkerPeakKiB)} | ${mib(row.mainPeakKiB)} | ${(row.dbBytes / MiB).toFixed(0)} | ${row.seconds.toFixed(1)} | ${row.outcome.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`;
		}),
		'',
	].join('\n');
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
