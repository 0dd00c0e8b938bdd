import { fittedGrowth, inspectorUrlFromLog, keptMemoryBetween, parseProbeOutput, type KeptMemorySample } from '../bench/kept-memory';

const MiB = 1024 * 1024;

/** A reading after a collection: data = heap without code + external that is not array buffers. */
function sample(at: number, dataMiB: number, arrayBuffersMiB: number, codeMiB = 12): KeptMemorySample {
	const externalOther = 20 * MiB;
	return {
		at,
		collectMs: 250,
		heapUsed: (dataMiB + codeMiB) * MiB - externalOther,
		codeSpaces: codeMiB * MiB,
		external: externalOther + arrayBuffersMiB * MiB,
		arrayBuffers: arrayBuffersMiB * MiB,
		rss: 500 * MiB,
	};
}

describe('kept memory (benchmark: what n8n keeps after full collections)', () => {
	it('finds the inspector URL n8n printed when started with --inspect', () => {
		const log = 'Migrations in progress\nDebugger listening on ws://127.0.0.1:42031/d674348a-de92-4978-bca8-ec18a84c1574\nFor help, see: https://nodejs.org/en/docs/inspector\n';
		expect(inspectorUrlFromLog(log)).toBe('ws://127.0.0.1:42031/d674348a-de92-4978-bca8-ec18a84c1574');
		expect(inspectorUrlFromLog('n8n ready on 127.0.0.1, port 5678')).toBeUndefined();
	});

	it('reads the probe output line by line and skips anything that is not a complete sample', () => {
		const good = sample(1000, 187, 20);
		const output = [JSON.stringify(good), 'Debugger attached.', '{"at":5}', ''].join('\n');
		expect(parseProbeOutput(output)).toEqual([good]);
	});

	it('fits the growth over the window instead of trusting its two ends', () => {
		// Rises 1 MiB per second, with the last reading taken mid-request (one MiB high).
		expect(fittedGrowth([0, 1000, 2000, 3000], [100, 101, 102, 103])).toBeCloseTo(3, 6);
		expect(fittedGrowth([0, 1000, 2000, 3000], [100, 100, 100, 101])).toBeCloseTo(0.9, 6);
		expect(fittedGrowth([0, 1000, 2000, 3000], [100, 101, 100, 101])).toBeCloseTo(0.6, 6);
		expect(fittedGrowth([5, 5, 5], [1, 2, 3])).toBe(0);
	});

	it('judges only the samples taken while the node ran, keeping code growth and chunk buffers apart', () => {
		const samples = [
			sample(500, 150, 0), // Read/Write Files, before the node: not judged
			sample(1000, 187, 20.5, 12.6),
			sample(2000, 187.3, 10.5, 12.7),
			sample(3000, 187.5, 20.6, 12.8),
			sample(4000, 187.9, 20.6, 12.9),
			sample(9000, 250, 0), // after the node
		];
		const kept = keptMemoryBetween(samples, 900, 4100);
		expect(kept).toMatchObject({ samples: 4, dataFirstMiB: 187, maxArrayBuffersMiB: 20.6, medianCollectMs: 250 });
		expect(kept?.dataGrowthMiB).toBeCloseTo(0.87, 2);
		expect(kept?.codeGrowthMiB).toBeCloseTo(0.3, 6);
		expect(kept?.series[1]).toEqual({ atMs: 1100, dataMiB: 187.3, heapDataMiB: 167.3, externalOtherMiB: 20, arrayBuffersMiB: 10.5, codeMiB: 12.7 });
	});

	it('refuses to judge from fewer than three samples', () => {
		expect(keptMemoryBetween([sample(1000, 187, 20), sample(2000, 190, 20)], 0, 5000)).toBeUndefined();
	});
});
