// The [perf] targets per row, shared by one run of the bench (run.ts) and the verdict over several (pool.ts).

/** Throughput at least this × the reference node's (with --skip-reference: the connection-per-chunk bare client's). */
export const THROUGHPUT_TARGET = 0.9;
/** CPU per GiB of the uploading n8n at most this × the reference node's (or the bare client's). */
export const CPU_TARGET = 1.3;
