import { uploadPhases } from '../bench/upload-phases';

const at = (ms: number) => new Date(Date.UTC(2026, 10, 26, 9, 0, 0, 0) + ms).toISOString();
const T0 = Date.parse(at(0));

describe('uploadPhases (benchmark timeline from the emulator chunk log)', () => {
	it('splits an upload into setup, per-chunk sending and turnaround, and the tail', () => {
		// Chunks take 20 ms on the wire; the client needs 5 ms between an answer and its next request.
		const chunks = [0, 1, 2].map((i) => ({ startedAt: at(100 + i * 25), at: at(120 + i * 25), status: i === 2 ? 201 : 206 }));
		expect(uploadPhases(chunks, T0, T0 + 175)).toEqual({
			toFirstChunkMs: 120,
			chunkIntervalMs: 25,
			chunkIntervalMeanMs: 25,
			slowestIntervalsMs: [25, 25],
			chunkTransferMs: 20,
			turnaroundMs: 5,
			afterLastChunkMs: 5,
		});
	});

	it('shows stalls that the median hides', () => {
		const ends = [10, 20, 30, 40, 140, 150];
		const phases = uploadPhases(ends.map((end) => ({ startedAt: at(end - 8), at: at(end), status: 206 })), T0, T0 + 150);
		expect(phases?.chunkIntervalMs).toBe(10);
		expect(phases?.chunkIntervalMeanMs).toBe(28);
		expect(phases?.slowestIntervalsMs).toEqual([100, 10, 10, 10, 10]);
	});

	it('ignores chunks TikTok did not accept (a retried chunk counts once)', () => {
		const chunks = [
			{ at: at(50), status: 500 },
			{ startedAt: at(60), at: at(80), status: 206 },
			{ startedAt: at(90), at: at(110), status: 201 },
		];
		const phases = uploadPhases(chunks, T0, T0 + 110);
		expect(phases?.toFirstChunkMs).toBe(80);
		expect(phases?.turnaroundMs).toBe(10);
	});

	it('has nothing to say about an upload with no accepted chunk', () => {
		expect(uploadPhases([{ at: at(10), status: 'aborted' }], T0, T0 + 20)).toBeUndefined();
	});
});
