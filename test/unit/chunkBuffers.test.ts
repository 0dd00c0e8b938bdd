import { ChunkBuffers } from '../../nodes/TikTok/shared/chunkBuffers';

describe('ChunkBuffers', () => {
	it('lends a released buffer again instead of allocating', () => {
		const buffers = new ChunkBuffers(1_000);
		const first = buffers.lend(1_000);
		first.release();
		const second = buffers.lend(1_000);
		expect(second.body.buffer).toBe(first.body.buffer);
	});

	it('never lends one buffer twice at the same time, even when released twice', () => {
		const buffers = new ChunkBuffers(1_000);
		const first = buffers.lend(1_000);
		first.release();
		first.release();
		const a = buffers.lend(1_000);
		const b = buffers.lend(1_000);
		expect(a.body.buffer).not.toBe(b.body.buffer);
	});

	it('lends a view of exactly the asked length when a chunk is shorter than the buffers', () => {
		const buffers = new ChunkBuffers(1_000);
		const lent = buffers.lend(600);
		expect(lent.body.length).toBe(600);
		expect(lent.body.buffer.byteLength).toBe(1_000);
	});

	it('gives a final chunk larger than the buffers one of its own and does not keep it', () => {
		const buffers = new ChunkBuffers(1_000);
		const regular = buffers.lend(1_000);
		regular.release();
		const final = buffers.lend(1_900);
		expect(final.body.length).toBe(1_900);
		expect(final.body.buffer).not.toBe(regular.body.buffer);
		final.release();
		expect(buffers.lend(1_000).body.buffer).not.toBe(final.body.buffer);
	});

	it('given the final chunk length, lends the second buffer at that length and the final chunk reuses it', () => {
		const buffers = new ChunkBuffers(1_000, 1_900);
		const a = buffers.lend(1_000);
		const b = buffers.lend(1_000);
		expect(a.body.buffer.byteLength).toBe(1_000);
		expect(b.body.buffer.byteLength).toBe(1_900);
		expect(b.body.length).toBe(1_000);
		a.release();
		b.release();
		const final = buffers.lend(1_900);
		expect(final.body.buffer).toBe(b.body.buffer);
		expect(final.body.length).toBe(1_900);
		// The other buffer was dropped for it, so two chunks' worth at most.
		final.release();
		const next = [buffers.lend(1_000), buffers.lend(1_000)];
		expect(next.map((lent) => lent.body.buffer)).not.toContain(a.body.buffer);
	});

	it('gives the final chunk a buffer of its own when the large one is still lent out', () => {
		const buffers = new ChunkBuffers(1_000, 1_900);
		const a = buffers.lend(1_000);
		const b = buffers.lend(1_000);
		a.release();
		const final = buffers.lend(1_900);
		expect(final.body.buffer).not.toBe(a.body.buffer);
		expect(final.body.buffer).not.toBe(b.body.buffer);
		expect(final.body.length).toBe(1_900);
	});

	it('keeps nothing for reuse once closed', () => {
		const buffers = new ChunkBuffers(1_000);
		const lent = buffers.lend(1_000);
		buffers.close();
		lent.release();
		expect(buffers.lend(1_000).body.buffer).not.toBe(lent.body.buffer);
	});
});
