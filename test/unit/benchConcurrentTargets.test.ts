import { concurrentPeakLines, concurrentTable, concurrentTargets, concurrentThreadLines, memoryLimitMiB, type ConcurrentScenarioResult } from '../bench/concurrent';

const MiB = 1024 * 1024;

/** A measured round of 4 × 256 MiB at 10 MiB chunks that passed every check but memory, whose growth is given. */
function round(growthMiB: number, reference?: ConcurrentScenarioResult): ConcurrentScenarioResult {
	const outcomes = [1, 2, 3, 4].map((index) => ({
		executionId: String(index),
		file: `/files/concurrent-${index}.mp4`,
		httpStatus: 200,
		status: 'success',
		publishId: `p${index}`,
		chunkBytes: 10 * MiB,
		enqueued: true,
		worker: 'worker-1',
	}));
	return {
		id: 'queue-url',
		label: '4 × 256 MiB at once, one queue worker, URL source',
		mode: 'queue',
		source: 'urlUpload',
		executions: 4,
		bytesPerFile: 256 * MiB,
		totalBytes: 1024 * MiB,
		chunkBytes: 10 * MiB,
		outcomes,
		succeeded: 4,
		posts: 4,
		duplicatePublishIds: 0,
		intact: 4,
		aggregateMBps: 170,
		wallMBps: 150,
		uploadSeconds: 6,
		wallSeconds: 7,
		medianExecutionSeconds: 6,
		maxAtOnce: 4,
		allAtOnceShare: 0.9,
		memory: { uploaderPid: 1, uploaderRole: 'n8n worker', idleMiB: 300, idleSteady: true, peakSampledMiB: 300 + growthMiB, hwmMiB: 300 + growthMiB, growthMiB, limitMiB: 144, wcharMiB: 1030 },
		cpu: { uploaderSeconds: 5, emulatorSeconds: 2, uploaderThreads: { main: 3, V8Worker: 1, 'libuv-worker': 1 } },
		loadAverage1m: 1,
		endedAt: 0,
		reference,
	};
}

/** The reference node's round of the same scenario; `valid` false: one execution failed. */
function reference(growthMiB: number, valid = true): ConcurrentScenarioResult {
	const ref = round(growthMiB);
	return { ...ref, succeeded: valid ? 4 : 3, intact: valid ? 4 : 3, cpu: { ...ref.cpu, uploaderSeconds: 6, uploaderThreads: { main: 4, V8Worker: 2 } } };
}
const memoryCheck = (result: ConcurrentScenarioResult) => concurrentTargets(result).find((check) => check.name.startsWith('peak RSS growth'));

describe('bench:concurrent memory target (executions × 2 chunks + 64 MiB, or the reference node where larger)', () => {
	it('holds the node to executions × 2 chunks + 64 MiB without a reference run', () => {
		expect(memoryLimitMiB(round(150))).toBe(144);
		expect(memoryCheck(round(150))?.pass).toBe(false);
		expect(memoryCheck(round(140))?.pass).toBe(true);
	});

	it("raises the limit to the reference node's growth when n8n's own cost of the same uploads is larger", () => {
		expect(memoryLimitMiB(round(150, reference(170)))).toBe(170);
		expect(memoryCheck(round(150, reference(170)))?.pass).toBe(true);
		expect(memoryCheck(round(175, reference(170)))?.pass).toBe(false);
		expect(memoryCheck(round(150, reference(170)))?.detail).toContain('reference node +170 MiB');
	});

	it('never lowers the limit below the absolute one for a frugal reference', () => {
		expect(memoryLimitMiB(round(130, reference(90)))).toBe(144);
		expect(memoryCheck(round(130, reference(90)))?.pass).toBe(true);
	});

	it("ignores a reference whose round failed, and fails the run for it", () => {
		const result = round(150, reference(400, false));
		expect(memoryLimitMiB(result)).toBe(144);
		expect(memoryCheck(result)?.pass).toBe(false);
		expect(memoryCheck(result)?.detail).toContain('not counted');
		expect(concurrentTargets(result).find((check) => check.name.startsWith("the reference node's round"))?.pass).toBe(false);
		expect(concurrentTargets(round(150, reference(170))).find((check) => check.name.startsWith("the reference node's round"))?.pass).toBe(true);
	});
});

describe('bench:concurrent CPU split by thread', () => {
	it("prints each kind of thread's CPU per GiB, largest first, the reference node's next to ours", () => {
		const [line] = concurrentThreadLines([round(100, reference(90))]);
		// 1 GiB uploaded: seconds are seconds per GiB.
		expect(line).toContain('node main 3.00, V8Worker 1.00, libuv-worker 1.00');
		expect(line).toContain('reference main 4.00, V8Worker 2.00');
	});
});

describe('bench:concurrent with several measured rounds (--rounds)', () => {
	const rounds = (growths: number[], ref?: ConcurrentScenarioResult): ConcurrentScenarioResult => ({
		...round(growths[0], ref),
		laterRounds: growths.slice(1).map((growth) => round(growth)),
	});
	const memoryChecks = (result: ConcurrentScenarioResult) => concurrentTargets(result).filter((check) => check.name.startsWith('peak RSS growth'));

	it('holds every measured round to the limit, not only the first', () => {
		const checks = memoryChecks(rounds([120, 150, 130]));
		expect(checks.map((check) => check.pass)).toEqual([true, false, true]);
		expect(checks[1].name).toContain('round 2 of 3');
	});

	it('checks every round for success and one intact post each', () => {
		const result = rounds([120, 120]);
		result.laterRounds![0] = { ...result.laterRounds![0], posts: 5, duplicatePublishIds: 1 };
		const postChecks = concurrentTargets(result).filter((check) => check.name.startsWith('exactly 4 posts'));
		expect(postChecks.map((check) => check.pass)).toEqual([true, false]);
	});

	it("takes the reference node's largest round as n8n's own cost, and only when every one of its rounds succeeded", () => {
		const ref = { ...reference(150), laterRounds: [reference(170), reference(160)] };
		expect(memoryLimitMiB(rounds([165], ref))).toBe(170);
		const failedLater = { ...reference(150), laterRounds: [reference(170, false)] };
		expect(memoryLimitMiB(rounds([165], failedLater))).toBe(144);
		expect(concurrentTargets(rounds([130], failedLater)).find((check) => check.name.startsWith("the reference node's rounds"))?.pass).toBe(false);
	});

	it('prints a value per round in the table and the thread line', () => {
		const result = rounds([120, 150], { ...reference(90), laterRounds: [reference(95)] });
		const [line] = concurrentThreadLines([result]);
		expect(line).toContain('node main 3.00, V8Worker 1.00, libuv-worker 1.00 | main 3.00');
		const table = concurrentTable([result]);
		expect(table).toContain('+120, +150 MiB');
		expect(table).toContain('+90, +95 MiB');
		expect(table).toContain('| NO |');
	});
});

describe('bench:concurrent peak RSS next to the reference node', () => {
	it("prints each round's peak RSS itself (idle + growth) for both nodes and the node's excess over the reference", () => {
		const node = { ...round(150), reference: { ...reference(80), laterRounds: [reference(70)] }, laterRounds: [round(40)] };
		// idle 300 MiB in every fixture round: peaks 450 and 340 vs 380 and 370.
		const [line] = concurrentPeakLines([node]);
		expect(line).toContain('node 450, 340 MiB, reference 380, 370 MiB');
		expect(line).toContain('node − reference +70, -30 MiB');
		expect(concurrentTable([node])).toContain('| 450, 340 MiB |');
		expect(concurrentPeakLines([round(150)])).toEqual([]);
	});
});
