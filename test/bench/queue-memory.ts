/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// `npm run bench:queue`: the memory of the n8n worker that runs Post Video in queue mode, for the
// two ways a big video can reach it:
// - from binary: n8n's default binary data mode in queue mode is `database` (the file goes into
//   PostgreSQL, and n8n 2.41's DatabaseManager buffers it whole on store and on read);
// - Video Source "URL, Uploaded in Chunks": the worker reads the file from a media server
//   (test/e2e/media-server.ts, real http on 127.0.0.1, in this process) and streams it to TikTok;
//   nothing goes through n8n's binary storage.
// Measures, per video, the worker's idle RSS (settled: ≥ 30 s old, then 4 s within 4 MiB), its sampled peak RSS and
// its kernel peak (VmHWM, reset before each run), and whether a file above the database cap
// (512 MiB by default) enters n8n at all. Before each row every worker has run that row's workflow
// once, unmeasured (--no-warm-up: not): binary rows with a 1 MiB video, so a row does not pay for
// loading code; URL rows with the row's own file, as run.ts's single-run rows, so a row does not
// pay for the process's first big execution either (measured on a fresh worker with 1 MiB only:
// +53, +74 and +122 MiB for 100, 400 and 1024 MiB; --url-warm-up small repeats that). The URL rows have a target, the node's own: peak − idle ≤ 2 chunks + 64 MiB (84 MiB
// at the default 10 MiB chunk); the run exits 1 when a URL row misses it or its post is not intact.
// The binary rows are measured, not judged. Writes test-results/e2e/queue-memory.md and prints it.
//
//   npm run bench:queue                      binary 100, 250, 260, 400 MiB, 530 MiB (above the cap); URL 100, 400, 1024 MiB
//   npm run bench:queue -- --sizes 50,100    other binary sizes (MiB), then the above-cap file
//   npm run bench:queue -- --no-over-cap     skip the above-cap file
//   npm run bench:queue -- --url-sizes 100   other URL sizes (MiB); --url-sizes '' for none
//   npm run bench:queue -- --sizes ''        no binary rows
//   npm run bench:queue -- --url-warm-up small   URL rows warmed up with 1 MiB, not their own file: a worker's first big run
//   npm run bench:queue -- --no-warm-up      each row may be a fresh worker's first execution
//
// 250 and 260 MiB bracket a limit below n8n's own cap: node-postgres reads a bytea column as hex
// text, and a string of 2 × 256 MiB characters is more than V8 allows (0x1fffffe8), so the read
// throws inside pg's socket handler and the query never settles. Such a run is recognised from
// the worker's log and given up after a short grace. The worker that ran a file is restarted before
// the next one, so each file starts on a fresh worker.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { loadavg } from 'os';
import { join } from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { parseArgs } from 'util';
import { writeFileOfSize } from '../e2e/files';
import type { WorkflowJson } from '../e2e/harness';
import { startMediaServer, type MediaServer } from '../e2e/media-server';
import { emulatorOAuth2Credential } from '../e2e/node-stack';
import { assertPackageBuilt, REPO_ROOT } from '../e2e/package-install';
import { startQueueMode, type N8nWorker, type QueueMode } from '../e2e/queue-mode';
import { startEmulatorProcess, type EmulatorProcess } from './emulator-process';
import { machineInfo, type MachineInfo } from './machine';
import { peakBetween, readMemory, resetPeak, RssSampler, settledRss } from './rss-sampler';

const MiB = 1024 * 1024;
const DB_CAP_MIB = 512; // N8N_BINARY_DATA_DATABASE_MAX_FILE_SIZE's default in n8n 2.41
const OVER_CAP_MIB = 530;
const CHUNK_MIB = 10;
/** The node's target for one upload: two chunks in memory plus n8n's own allowance. */
const URL_LIMIT_MIB = 2 * CHUNK_MIB + 64;
const SAMPLE_MS = 50;
/** Bound on one run: generous next to the ~1 s per 10 MiB a working run takes here. */
const runTimeoutMs = (sizeMiB: number) => Math.max(120_000, sizeMiB * 1_500);
/** After the worker logged a failure that leaves the execution hanging, wait this long for an answer anyway. */
const HANG_GRACE_MS = 15_000;
const HANG_SIGNS = /Cannot create a string longer than|FATAL ERROR|JavaScript heap out of memory/;
const BUDGET_MS = 40 * 60 * 1000;
const SETTLE_MS = 5_000;
const WARM_UP_ATTEMPTS = 8;
const WARM_UP_TIMEOUT_MS = 120_000;

const { values: args } = parseArgs({
	options: {
		sizes: { type: 'string', default: '100,250,260,400' },
		'no-over-cap': { type: 'boolean', default: false },
		'no-warm-up': { type: 'boolean', default: false },
		'url-warm-up': { type: 'string', default: 'own' },
		'url-sizes': { type: 'string', default: '100,400,1024' },
	},
});
const parseSizes = (list: string) => list.split(',').filter(Boolean).map(Number).filter((size) => size > 0 && size < 4096);
const sizesMiB = parseSizes(args.sizes);
const urlSizesMiB = parseSizes(args['url-sizes']);
const progress = (line: string) => process.stderr.write(`[bench:queue] ${line}\n`);
const mib = (kib: number | undefined) => (kib === undefined ? '?' : (kib / 1024).toFixed(0));

type Source = 'binary' | 'urlUpload';

interface Row {
	label: string;
	source: Source;
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
	dbBytesBefore: number;
	/** The post arrived, every byte (sha256 equal), and the execution succeeded. */
	intact: boolean;
}

async function main(): Promise<void> {
	assertPackageBuilt();
	const startedAt = new Date();
	// The load average when the run starts (the report is written at the end).
	const machineAtStart = machineInfo();
	const watchdog = setTimeout(() => {
		progress(`time budget of ${BUDGET_MS / 60000} min exceeded: aborting`);
		process.exit(2); // the exit guards stop every process of the stack
	}, BUDGET_MS);
	let emulator: EmulatorProcess | undefined;
	let queue: QueueMode | undefined;
	let media: MediaServer | undefined;
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
		const workflowIds: Record<Source, string> = { binary: '', urlUpload: '' };
		for (const [source, file] of [['binary', 'bench-post-video.json'], ['urlUpload', 'bench-post-video-url.json']] as const) {
			const workflow = JSON.parse(readFileSync(join(__dirname, 'workflows', file), 'utf8')) as WorkflowJson;
			workflowIds[source] = (await queue.main.importWorkflow(workflow)).id;
		}
		// The media server looks a name up when asked, so files can be added as they are written.
		const served: Record<string, string> = {};
		media = await startMediaServer(served);
		const warmUpFile = await writeFileOfSize(join(queue.filesDir, 'warm-up.mp4'), MiB, 69);
		served['warm-up.mp4'] = warmUpFile.path;
		const warmUpInput: Record<Source, string> = { binary: warmUpFile.path, urlUpload: media.url('warm-up.mp4') };
		/** `<pid> <input>` of every worker process that has run that input as a warm-up. */
		const warmed = new Set<string>();
		await sleep(SETTLE_MS);
		idleAtStart = queue.workers.map((worker) => `${worker.name} ${mib(readMemory(worker.pid!)?.rssKiB)} MiB`);

		const plan: Array<{ label: string; sizeMiB: number; source: Source }> = [
			...sizesMiB.map((size) => ({ label: `${size} MiB video`, sizeMiB: size, source: 'binary' as const })),
			...(args['no-over-cap'] || !sizesMiB.length
				? []
				: [{ label: `${OVER_CAP_MIB} MiB video (above the ${DB_CAP_MIB} MiB database cap)`, sizeMiB: OVER_CAP_MIB, source: 'binary' as const }]),
			...urlSizesMiB.map((size) => ({ label: `${size} MiB video`, sizeMiB: size, source: 'urlUpload' as const })),
		];
		for (const [index, step] of plan.entries()) {
			progress(`${step.label} (${step.source === 'binary' ? 'binary, database mode' : 'URL source'}): writing the file`);
			const file = await writeFileOfSize(join(queue.filesDir, `video-${index}.mp4`), step.sizeMiB * MiB, 70 + index);
			served[`video-${index}.mp4`] = file.path;
			const input = step.source === 'binary' ? file.path : media.url(`video-${index}.mp4`);
			// URL rows: by default an unmeasured run of the row's own file on every worker first, as run.ts's single-run rows.
			const warmUpWith = step.source === 'urlUpload' && args['url-warm-up'] === 'own' ? input : warmUpInput[step.source];
			if (!args['no-warm-up']) await warmUp(queue, step.source, workflowIds[step.source], warmUpWith, warmed);
			progress(`${step.label}: running the workflow`);
			rows.push(await measuredRun(queue, emulator, workflowIds[step.source], step.source, step.label, step.sizeMiB, input, file.sha256));
			rmSync(file.path, { force: true });
			const row = rows[rows.length - 1];
			progress(`  → ${row.worker}: idle ${mib(row.idleKiB)} MiB, peak ${mib(row.peakSampledKiB)} MiB (VmHWM ${mib(row.hwmKiB)}), ${row.outcome}`);
		}
	} finally {
		clearTimeout(watchdog);
		await media?.close();
		await queue?.stop();
		await emulator?.stop();
	}
	const report = renderReport(rows, idleAtStart, startedAt, machineAtStart, queue?.install.n8nVersion ?? '?', !args['no-warm-up'], args['url-warm-up'] === 'own');
	const dir = join(REPO_ROOT, 'test-results', 'e2e');
	mkdirSync(dir, { recursive: true });
	writeFileSync(join(dir, 'queue-memory.md'), report);
	process.stdout.write(`\n${report}\nwritten to test-results/e2e/queue-memory.md\n`);
	const missed = rows.filter((row) => row.source === 'urlUpload' && (!row.intact || growthKiB(row) === undefined || growthKiB(row)! > URL_LIMIT_MIB * 1024));
	if (missed.length) {
		progress(`URL source target missed (intact post, peak − idle ≤ ${URL_LIMIT_MIB} MiB): ${missed.map((row) => row.label).join(', ')}`);
		process.exitCode = 1;
	}
}

/**
 * Until every current worker process has run the source's workflow once with `input` (loading the
 * node and n8n's code paths for it, and with the row's own file raising the process's high-water
 * marks once, as \`npm run bench\` warms n8n up): Bull hands a job to whichever worker waits, so post
 * until each one has taken one (bounded).
 */
async function warmUp(queue: QueueMode, source: Source, workflowId: string, input: string, warmed: Set<string>): Promise<void> {
	const pending = () => queue.workers.filter((worker) => !warmed.has(`${worker.pid} ${input}`));
	for (let attempt = 1; attempt <= WARM_UP_ATTEMPTS && pending().length > 0; attempt++) {
		const response = await fetch(`${queue.main.baseUrl}/webhook/${source === 'binary' ? 'bench-post-video' : 'bench-post-video-url'}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(source === 'binary' ? { files: [{ file: input }], chunkSizeMb: CHUNK_MIB } : { urls: [{ url: input }], chunkSizeMb: CHUNK_MIB }),
			signal: AbortSignal.timeout(WARM_UP_TIMEOUT_MS),
		});
		const text = await response.text();
		if (response.status !== 200) throw new Error(`warm-up (${source}) answered HTTP ${response.status}: ${text.slice(0, 300)}`);
		const [newest] = await queue.main.listExecutions(workflowId, 1);
		const runner = newest ? await queue.runnerOf(newest.id) : undefined;
		if (runner) warmed.add(`${runner.pid} ${input}`);
	}
	if (pending().length > 0) progress(`  warning: ${pending().map((worker) => worker.name).join(', ')} not warmed up for ${source} after ${WARM_UP_ATTEMPTS} attempts`);
	else progress(`  warmed up (${source}): ${queue.workers.map((worker) => worker.name).join(', ')}`);
}

/** max(sampled peak, VmHWM) − idle, in KiB. */
function growthKiB(row: Row): number | undefined {
	const peak = Math.max(row.peakSampledKiB ?? 0, row.hwmKiB ?? 0);
	return row.idleKiB === undefined || !peak ? undefined : peak - row.idleKiB;
}

async function measuredRun(
	queue: QueueMode,
	emulator: EmulatorProcess,
	workflowId: string,
	source: Source,
	label: string,
	sizeMiB: number,
	/** A file path (binary) or the media server's URL (urlUpload). */
	input: string,
	sha256: string,
): Promise<Row> {
	const dbBytesOf = async () =>
		Number((await queue.postgres.query<{ bytes: string }>('SELECT coalesce(sum(octet_length(data)), 0)::bigint AS bytes FROM binary_data'))[0]?.bytes ?? 0);
	const dbBytesBefore = await dbBytesOf();
	const workers = queue.workers;
	const pids = [...workers.map((worker) => worker.pid!), queue.main.pid!];
	const settled = await settledRss(workers.map((worker) => worker.pid!));
	if (!settled.steady) progress('  warning: the workers\' RSS did not settle within 45 s; idle is the last 4 s median');
	const idle = new Map(workers.map((worker) => [worker.name, settled.rssKiB[worker.pid!]]));
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
		const response = await fetch(`${queue.main.baseUrl}/webhook/${source === 'binary' ? 'bench-post-video' : 'bench-post-video-url'}`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(source === 'binary' ? { files: [{ file: input }], chunkSizeMb: CHUNK_MIB } : { urls: [{ url: input }], chunkSizeMb: CHUNK_MIB }),
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
	let intact = false;
	if (newest) {
		runner = await queue.runnerOf(newest.id).catch(() => undefined);
		const execution = await queue.main.getExecution(newest.id);
		const failed = Object.entries(execution.nodes).find(([, run]) => run.error);
		const error = failed?.[1].error ?? execution.error;
		const posts = (await emulator.control('state')).posts.slice(postsBefore) as Array<{ sha256: string | null; status: string }>;
		intact = execution.status === 'success' && posts.length === 1 && posts[0].sha256 === sha256;
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
	const row: Row = {
		label,
		source,
		sizeMiB,
		worker: runner?.name ?? '?',
		outcome,
		seconds: (to - from) / 1000,
		idleKiB: runner ? idle.get(runner.name) : undefined,
		peakSampledKiB: runner ? peakBetween(samples, runner.pid!, from, to) : undefined,
		hwmKiB: runner ? hwm.get(runner.pid!) : undefined,
		otherWorkerPeakKiB: other ? peakBetween(samples, other.pid!, from, to) : undefined,
		mainPeakKiB: peakBetween(samples, queue.main.pid!, from, to),
		dbBytes: await dbBytesOf(),
		dbBytesBefore,
		intact,
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

function renderReport(rows: Row[], idleAtStart: string[], startedAt: Date, machine: MachineInfo, n8nVersion: string, warmUpDone: boolean, urlWarmUpOwn: boolean): string {
	return [
		`# Worker memory in queue mode: binary data in \`database\` mode and the URL source (n8n ${n8nVersion}, ${startedAt.toISOString()})`,
		'',
		`Machine: ${machine.cpuModel}, ${machine.cores} cores, ${machine.ramGiB} GiB RAM, ${machine.kernel}, load ${machine.loadAverage1m} at the start, ${
			Math.round(loadavg()[0] * 100) / 100
		} at the end.`,
		'',
		`Workflows, one item each, ${CHUNK_MIB} MiB chunks: binary: Webhook → Split Out → Read/Write Files → TikTok Post Video (binary; n8n's`,
		'queue-mode default binary mode `database`); URL: Webhook → Split Out → TikTok Post Video (Video Source "URL, Uploaded in Chunks"),',
		'the file served over http on 127.0.0.1 by the bench process (test/e2e/media-server.ts). The emulator hashes every byte (sha256).',
		`2 workers (\`--concurrency=4\`), PostgreSQL and Redis throwaway instances; RSS sampled every ${SAMPLE_MS} ms from /proc/<pid>/status,`,
		'VmHWM reset (clear_refs 5) before each run. Idle after start-up: ' + idleAtStart.join(', ') + '.',
		'A worker keeps much of a big run\'s memory afterwards (and a hung execution its slot), so the worker that ran a file is restarted',
		'before the next one: every row starts on a fresh worker process. ' +
			(warmUpDone
				? `Before each row, each worker has run that row's workflow once, unmeasured (warm-up, as \`npm run bench\` does): binary rows with a 1 MiB video, URL rows ${
						urlWarmUpOwn ? "with the row's own file (run.ts's single-run rows do the same)" : 'with a 1 MiB video (--url-warm-up small)'
					}.`
				: "No warm-up (--no-warm-up): each row may be a fresh worker's first execution."),
		'"idle RSS" is the worker\'s VmRSS settled before the run (the process at least 30 s old, then 4 s within 4 MiB, median; at most',
		`45 s more): a fresh worker shrinks from about 490 to 280 MiB in its first seconds. URL rows' target: peak − idle ≤ 2 × ${CHUNK_MIB} MiB + 64 MiB = ${URL_LIMIT_MIB} MiB.`,
		'',
		'| source | file | run by | idle RSS (MiB) | peak RSS sampled (MiB) | VmHWM (MiB) | peak − idle (MiB) | peak / file size | within 2 chunks + 64 MiB | other worker peak (MiB) | main peak (MiB) | binary_data in PostgreSQL after (MiB) | time (s) | outcome |',
		'|---|---|---|---|---|---|---|---|---|---|---|---|---|---|',
		...rows.map((row) => {
			const growth = growthKiB(row);
			const target = row.source === 'binary' ? '-' : growth !== undefined && growth <= URL_LIMIT_MIB * 1024 ? 'yes' : 'NO';
			const db = `${(row.dbBytes / MiB).toFixed(0)} (+${((row.dbBytes - row.dbBytesBefore) / MiB).toFixed(0)})`;
			return `| ${row.source === 'binary' ? 'binary (database)' : 'URL'} | ${row.label} | ${row.worker} | ${mib(row.idleKiB)} | ${mib(row.peakSampledKiB)} | ${mib(row.hwmKiB)} | ${mib(growth)} | ${
				growth === undefined ? '?' : (growth / 1024 / row.sizeMiB).toFixed(2)
			} | ${target} | ${mib(row.otherWorkerPeakKiB)} | ${mib(row.mainPeakKiB)} | ${db} | ${row.seconds.toFixed(1)} | ${row.outcome.replace(/\|/g, '\\|').replace(/\n/g, ' ')} |`;
		}),
		'',
	].join('\n');
}

main().catch((error) => {
	process.stderr.write(`${(error as Error).stack ?? error}\n`);
	process.exit(1);
});
