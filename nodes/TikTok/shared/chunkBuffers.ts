/**
 * Frees a Buffer's memory now instead of at the next garbage collection. Left to the collector,
 * large buffers outside V8's heap pile up (RSS far above two chunks) and trigger full
 * collections of n8n's large heap, which then cost more time than the upload itself. Only a
 * Buffer spanning its whole ArrayBuffer qualifies, so a view into Node's shared pool is never
 * touched; transfer() is missing before Node 21: no-op there.
 */
export function releaseMemory(buffer: Buffer): void {
	const arrayBuffer = buffer.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
	if (buffer.byteOffset !== 0 || buffer.byteLength !== arrayBuffer.byteLength) return;
	arrayBuffer.transfer?.(0);
}

export interface LentBuffer {
	body: Buffer;
	/** Gives the memory back once nothing reads `body` any more; calling it twice is harmless. */
	release: () => void;
}

/**
 * Chunk-sized buffers lent out and given back, so an upload of any length touches the same two
 * buffers over and over. A fresh buffer per chunk costs a page fault per 4 KiB on first touch
 * (chunks of 32 MiB and more always come straight from the kernel), which on two cores slows
 * the upload measurably.
 *
 * A final chunk longer than the others (up to twice the chunk size) fits the second buffer when
 * `largest` is given: that one is allocated at the final chunk's length from the start (its pages
 * only count once written) and the final chunk reuses it, after the other buffer is freed. Every
 * large buffer allocated counts towards V8's external memory, and each 64 MiB more of it sets off a
 * full collection of n8n's whole heap: a third, fresh buffer per upload for the final chunk cost
 * one more of those per upload. Without `largest`, or when that buffer is still lent out, a longer
 * final chunk gets a buffer of its own, the spare ones freed first so memory stays at two chunks' worth.
 */
export class ChunkBuffers {
	private readonly spare: Buffer[] = [];
	private closed = false;
	private allocated = 0;

	constructor(
		private readonly size: number,
		private readonly largest = size,
	) {}

	lend(length: number): LentBuffer {
		let backing: Buffer;
		if (length <= this.size) {
			backing = this.spare.pop() ?? this.allocate();
		} else {
			const fitting = this.spare.findIndex((buffer) => buffer.length >= length);
			const reused = fitting >= 0 ? this.spare.splice(fitting, 1)[0] : undefined;
			this.freeSpare();
			backing = reused ?? Buffer.allocUnsafeSlow(length);
		}
		let returned = false;
		return {
			body: backing.subarray(0, length),
			release: () => {
				if (returned) return;
				returned = true;
				if (this.closed || (backing.length !== this.size && backing.length !== this.largest)) releaseMemory(backing);
				else this.spare.push(backing);
			},
		};
	}

	/** Frees the spare buffers; buffers still lent out are freed when they come back. */
	close(): void {
		this.closed = true;
		this.freeSpare();
	}

	/** The first buffer at the chunk size, the second at the final chunk's length. */
	private allocate(): Buffer {
		this.allocated++;
		return Buffer.allocUnsafeSlow(this.allocated === 2 ? this.largest : this.size);
	}

	private freeSpare(): void {
		for (const buffer of this.spare.splice(0)) releaseMemory(buffer);
	}
}
