/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// `npm run bench:pool -- bench-results/bench-A.json bench-results/bench-B.json ...`: the targets
// judged over every pair and every run of those runs of the bench (pool.ts). Exits 1 when a row
// misses one; each record's own ratios are printed beside the pooled ones.
import { readFileSync } from 'fs';
import { formatSize } from './report';
import { otherTargets, poolRows, type PoolableRecord } from './pool';
import { CPU_TARGET, THROUGHPUT_TARGET } from './targets';

const files = process.argv.slice(2).filter((arg) => arg !== '--');
if (files.length < 2) {
	process.stderr.write('usage: npm run bench:pool -- <bench-results/bench-*.json> <another> [...]  (two or more runs of the bench)\n');
	process.exit(2);
}
const print = (line: string) => process.stdout.write(`${line}\n`);
const records = files.map((file) => JSON.parse(readFileSync(file, 'utf8')) as PoolableRecord);
const rows = poolRows(records);
const verdict = (pass: boolean) => (pass ? 'PASS' : 'FAIL');
const each = (values: number[]) => values.map((value) => value.toFixed(2)).join(', ');
print(`${records.length} runs of the bench: ${records.map((r) => r.startedAt).join(', ')}`);
for (const row of rows) {
	const name = `${row.label}, ${formatSize(row.chunkBytes)} chunks`;
	print(
		`${verdict(row.throughputPass)}  throughput ≥ ${THROUGHPUT_TARGET} × the reference node (${name}): median of ${row.pairs.length} pairs ${row.throughputRatio.toFixed(2)}; ` +
			`each run's own median: ${each(row.perRecord.map((r) => r.throughputRatio))}`,
	);
	print(
		`${verdict(row.cpuPass)}  CPU per GiB ≤ ${CPU_TARGET} × the reference node's (${name}): ${row.nodeCpuPerGiB.toFixed(2)} vs ${row.referenceCpuPerGiB.toFixed(2)} s = ${row.cpuRatio.toFixed(2)}×; ` +
			`each run's own: ${each(row.perRecord.map((r) => r.cpuRatio))}`,
	);
}
const { checked, missed } = otherTargets(records);
print(missed.length ? missed.map((name) => `FAIL  ${name}`).join('\n') : `PASS  every other target (memory) in every run: ${checked} checks`);
process.exit(rows.every((row) => row.throughputPass && row.cpuPass) && missed.length === 0 ? 0 : 1);
