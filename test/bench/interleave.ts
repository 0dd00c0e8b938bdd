// Our node against the reference node, run by run. Both packages' n8n are started together and
// their runs alternate, so each node run has a reference run from the same minutes beside it.
// Dividing each side by a bare-client run and then the two medians (the old estimator) compared
// runs made minutes apart: on this VM that moved the row's ratio by ±0.15 from one bench to the next.
import { median } from './rss-sampler';

/** The order of pair `index`: the node first in even pairs, the reference first in odd ones, so neither side always runs right after the bare clients. */
export function pairOrder<T>(node: T, reference: T, index: number): [T, T] {
	return index % 2 === 0 ? [node, reference] : [reference, node];
}

/** Node MB/s ÷ reference MB/s for each pair of runs made back to back. */
export function pairRatios(nodeMBps: number[], referenceMBps: number[]): number[] {
	if (nodeMBps.length !== referenceMBps.length) {
		throw new Error(`${nodeMBps.length} node runs against ${referenceMBps.length} reference runs: the runs must come in pairs`);
	}
	return nodeMBps.map((mbps, index) => mbps / referenceMBps[index]);
}

export interface PairedThroughput {
	/** Median of the pairs' ratios: the throughput target. */
	ratio: number;
	pairs: number[];
	/** Medians of the pairs the node ran first in, and of those the reference ran first in: an order effect shows as a gap. */
	nodeFirst: number;
	referenceFirst: number;
}

export function pairedThroughput(nodeMBps: number[], referenceMBps: number[]): PairedThroughput {
	const pairs = pairRatios(nodeMBps, referenceMBps);
	return {
		ratio: median(pairs),
		pairs,
		nodeFirst: median(pairs.filter((_, index) => pairOrder(true, false, index)[0])),
		referenceFirst: median(pairs.filter((_, index) => !pairOrder(true, false, index)[0])),
	};
}
