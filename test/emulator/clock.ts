// The emulator's clock: real time plus an offset that POST /__emulator/clock can advance, so tests
// can jump past token expiry, upload-URL life, status progression and rate-limit windows.
export class EmulatorClock {
	private offsetMs = 0;

	now(): number {
		return Date.now() + this.offsetMs;
	}

	advance(seconds: number): void {
		this.offsetMs += seconds * 1000;
	}

	get offsetSeconds(): number {
		return this.offsetMs / 1000;
	}

	reset(): void {
		this.offsetMs = 0;
	}
}
