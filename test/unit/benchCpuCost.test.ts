import { perGiBEachRun, perGiBOverRuns } from '../bench/cpu-cost';

const GiB = 1024 ** 3;

describe('CPU per GiB over a row of runs (benchmark)', () => {
	it('counts a major collection once, whichever run it fell in', () => {
		// Three 1 GiB runs at 0.8 s, one of them with a 0.6 s collection on top.
		const oneCollection = perGiBOverRuns([0.8, 1.4, 0.8], GiB);
		expect(oneCollection).toBeCloseTo(1.0, 10);
		// The same three runs with the collection in two of them cost more, in proportion.
		expect(perGiBOverRuns([1.4, 1.4, 0.8], GiB)).toBeCloseTo(1.2, 10);
	});

	it('divides by the bytes of every run, not of one', () => {
		// Six 200 MiB items per run: 1.2 GiB per run, 3 runs.
		expect(perGiBOverRuns([1.2, 1.2, 2.4], 1.2 * GiB)).toBeCloseTo(4.8 / 3.6, 10);
	});

	it('leaves out runs without a reading and gives NaN when none has one', () => {
		expect(perGiBOverRuns([1, NaN, 3], GiB)).toBe(2);
		expect(perGiBOverRuns([], GiB)).toBeNaN();
		expect(perGiBOverRuns([NaN], GiB)).toBeNaN();
	});

	it('gives each run its own figure, so the runs a collection fell in show', () => {
		expect(perGiBEachRun([0.4, 1.0], 512 * 1024 ** 2)).toEqual([0.8, 2.0]);
	});
});
