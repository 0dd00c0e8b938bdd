// Where an upload's time goes, from the emulator's log of received chunks: the time before the
// first chunk was complete (setup: creator info, init, reading the first chunk, sending it), the
// pace of the chunks after it, and the time after the last one until the caller finished.
import { lowerMedian } from './rss-sampler';

export interface UploadPhases {
	/** From the caller's start to the first chunk received completely (includes sending it). */
	toFirstChunkMs: number;
	/** Median time between two consecutive chunks received. */
	chunkIntervalMs: number;
	/** Mean of the same: above the median when some chunks stall (a garbage collection, a slow read). */
	chunkIntervalMeanMs: number;
	/** The five longest intervals, longest first. */
	slowestIntervalsMs: number[];
	/** Median time from a chunk's request arriving to its last byte: how fast the bytes flow. */
	chunkTransferMs: number;
	/** Median time from answering a chunk to the next chunk's request arriving: the client's turnaround. */
	turnaroundMs: number;
	/** From the last chunk received to the caller's end (reading TikTok's answer, then the rest). */
	afterLastChunkMs: number;
}

export function uploadPhases(
	chunks: Array<{ at: string; startedAt?: string; status: unknown }>,
	startMs: number,
	endMs: number,
): UploadPhases | undefined {
	const received = chunks.filter((c) => c.status === 206 || c.status === 201);
	const times = received.map((c) => Date.parse(c.at));
	const starts = received.map((c) => (c.startedAt ? Date.parse(c.startedAt) : NaN));
	if (times.length === 0) return undefined;
	const intervals = times.slice(1).map((at, i) => at - times[i]);
	return {
		toFirstChunkMs: times[0] - startMs,
		chunkIntervalMs: lowerMedian(intervals),
		chunkIntervalMeanMs: intervals.length ? intervals.reduce((sum, v) => sum + v, 0) / intervals.length : NaN,
		slowestIntervalsMs: [...intervals].sort((a, b) => b - a).slice(0, 5),
		chunkTransferMs: lowerMedian(times.map((at, i) => at - starts[i])),
		turnaroundMs: lowerMedian(starts.slice(1).map((start, i) => start - times[i])),
		afterLastChunkMs: endMs - times[times.length - 1],
	};
}
