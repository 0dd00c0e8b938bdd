// CPU per GiB for a row: every CPU-second over every byte its runs uploaded. One of n8n's major
// collections costs 0.3-0.7 s against a 1 GiB run of about 2 s and lands in some runs, not in
// others; a median keeps or drops it by chance, depending on how many runs it fell in. The total
// counts each collection once, wherever it fell, which is what the user's machine pays.

const GiB = 1024 ** 3;

/** Seconds (or any per-run count) summed over the runs, per GiB of all the runs' bytes. */
export function perGiBOverRuns(perRun: number[], bytesPerRun: number): number {
	const known = perRun.filter(Number.isFinite);
	if (!known.length || bytesPerRun <= 0) return NaN;
	return known.reduce((sum, value) => sum + value, 0) / ((known.length * bytesPerRun) / GiB);
}

/** Each run's own figure per GiB, to show which runs a collection fell in. */
export function perGiBEachRun(perRun: number[], bytesPerRun: number): number[] {
	return perRun.map((value) => value / (bytesPerRun / GiB));
}

/** The uploading n8n's CPU per GiB in each of a side's runs (our node's or the reference's). */
export function uploaderCpuEachRun(side: { runs: Array<{ cpu: { uploaderSeconds: number } }>; totalBytes: number }): number[] {
	return perGiBEachRun(side.runs.map((run) => run.cpu.uploaderSeconds), side.totalBytes);
}
