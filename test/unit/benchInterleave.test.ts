import { pairedThroughput, pairOrder, pairRatios } from '../bench/interleave';

describe('node against reference, runs alternating (benchmark)', () => {
	it('alternates which side runs first, starting with the node', () => {
		const firsts = [0, 1, 2, 3, 4].map((index) => pairOrder('node', 'reference', index)[0]);
		expect(firsts).toEqual(['node', 'reference', 'node', 'reference', 'node']);
		expect(pairOrder('node', 'reference', 1)).toEqual(['reference', 'node']);
	});

	it('divides each node run by the reference run of the same pair', () => {
		// The machine ran at half speed during the second pair: both sides slowed down together.
		expect(pairRatios([90, 45, 95], [100, 50, 100])).toEqual([0.9, 0.9, 0.95]);
		expect(pairedThroughput([90, 45, 95], [100, 50, 100]).ratio).toBeCloseTo(0.9, 10);
	});

	it('refuses runs that do not come in pairs', () => {
		expect(() => pairRatios([100, 100], [100])).toThrow(/2 node runs against 1 reference runs/);
	});

	it('shows an order effect as a gap between node-first and reference-first pairs', () => {
		const result = pairedThroughput([100, 80, 100, 80], [100, 100, 100, 100]);
		expect(result.nodeFirst).toBe(1);
		expect(result.referenceFirst).toBe(0.8);
		expect(result.ratio).toBe(0.9);
	});
});
