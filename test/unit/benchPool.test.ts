import { otherTargets, poolRows, type PoolableRecord } from '../bench/pool';

const GiB = 1024 ** 3;

function record(startedAt: string, rows: Array<{ id?: string; chunkBytes?: number; pairs?: number[]; nodeSeconds: number[]; referencePerGiB?: number[]; ratio?: number }>, targets: PoolableRecord['targets'] = []): PoolableRecord {
	return {
		startedAt,
		targets,
		scenarios: rows.map((row) => ({
			id: row.id ?? '4gib',
			label: '4 GiB',
			chunkBytes: row.chunkBytes ?? 10 * 1024 ** 2,
			totalBytes: GiB,
			runs: row.nodeSeconds.map((uploaderSeconds) => ({ cpu: { uploaderSeconds } })),
			reference: row.pairs && { pairs: row.pairs, cpuEachRun: row.referencePerGiB, throughputRatio: row.ratio ?? NaN, cpuRatio: NaN },
		})),
	};
}

describe('the targets over several runs of the bench (benchmark)', () => {
	it('takes the median over every pair of every run, not the median of the runs', () => {
		// One run's three pairs read 0.87 on their own; five more pairs from the next run say 1.0.
		const [row] = poolRows([
			record('a', [{ pairs: [0.87, 0.82, 1.21], nodeSeconds: [1, 1, 1], referencePerGiB: [1, 1, 1], ratio: 0.87 }]),
			record('b', [{ pairs: [1.0, 1.05, 0.95, 1.1, 0.9], nodeSeconds: [1, 1, 1, 1, 1], referencePerGiB: [1, 1, 1, 1, 1], ratio: 1.0 }]),
		]);
		expect(row.pairs).toHaveLength(8);
		expect(row.throughputRatio).toBeCloseTo(0.975, 10);
		expect(row.throughputPass).toBe(true);
		expect(row.perRecord.map((r) => r.throughputRatio)).toEqual([0.87, 1.0]);
	});

	it('fails a row whose pooled pairs stay under the target', () => {
		const [row] = poolRows([
			record('a', [{ pairs: [0.8, 0.85, 0.95], nodeSeconds: [1, 1, 1], referencePerGiB: [1, 1, 1] }]),
			record('b', [{ pairs: [0.88, 0.92, 0.7], nodeSeconds: [1, 1, 1], referencePerGiB: [1, 1, 1] }]),
		]);
		expect(row.throughputRatio).toBeCloseTo(0.865, 10);
		expect(row.throughputPass).toBe(false);
	});

	it('counts every run of every record in the CPU, each side', () => {
		// The node's n8n collected once in three runs (1.6 s), the reference's never.
		const [row] = poolRows([
			record('a', [{ pairs: [1, 1], nodeSeconds: [1.0, 1.6], referencePerGiB: [1.0, 1.0] }]),
			record('b', [{ pairs: [1], nodeSeconds: [1.0], referencePerGiB: [1.0] }]),
		]);
		expect(row.nodeCpuPerGiB).toBeCloseTo(1.2, 10);
		expect(row.referenceCpuPerGiB).toBeCloseTo(1.0, 10);
		expect(row.cpuRatio).toBeCloseTo(1.2, 10);
		expect(row.cpuPass).toBe(true);
	});

	it('refuses a run without paired reference runs, and rows that are not the same', () => {
		expect(() => poolRows([record('a', [{ nodeSeconds: [1] }])])).toThrow(/a, 4gib: no paired reference runs/);
		expect(() =>
			poolRows([
				record('a', [{ pairs: [1], nodeSeconds: [1], referencePerGiB: [1] }]),
				record('b', [{ pairs: [1], nodeSeconds: [1], referencePerGiB: [1], chunkBytes: 5 * 1024 ** 2 }]),
			]),
		).toThrow(/b, 4gib: .*not the same row/);
		expect(() => poolRows([])).toThrow(/no bench records/);
	});

	it('keeps every memory target per run: one run over a limit is a miss', () => {
		const pooledOrInfo = [
			{ name: 'throughput ≥ 0.9 × the reference node in n8n (4 GiB)', pass: false },
			{ name: 'CPU per GiB ≤ 1.3 × the reference node\'s (4 GiB)', pass: false },
			{ name: 'throughput ≥ 0.9 × bare client (4 GiB)', pass: false, informational: true },
		];
		const result = otherTargets([
			record('a', [], [...pooledOrInfo, { name: 'peak RSS growth ≤ 2 × chunk + 64 MiB (4 GiB)', pass: true }]),
			record('b', [], [...pooledOrInfo, { name: 'peak RSS growth ≤ 2 × chunk + 64 MiB (4 GiB)', pass: false }]),
		]);
		expect(result.checked).toBe(2);
		expect(result.missed).toEqual(['b: peak RSS growth ≤ 2 × chunk + 64 MiB (4 GiB)']);
	});
});
