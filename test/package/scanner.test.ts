/* eslint-disable @n8n/community-nodes/no-dangerous-functions, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// n8n's verification scans a community package twice: its provenance-attested source and the
// tarball npm serves. The same static analysis runs here on both, so a violation fails CI here
// rather than at n8n; a deliberately broken copy proves the check can fail.
import { execFileSync } from 'child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';

const root = join(__dirname, '..', '..');
const script = join(__dirname, 'scan.mjs');

interface ScanResult {
	passed: boolean;
	message: string;
	details: string;
}

function scan(dir: string, leg: 'source' | 'tarball'): ScanResult {
	// Jest sets NODE_ENV=test, which puts n8n's lint plugin into its own test mode (every file
	// judged as a node file): run the scanner as n8n does, without it.
	const env = { ...process.env };
	delete env.NODE_ENV;
	const out = execFileSync(process.execPath, [script, dir, leg], { cwd: root, env, encoding: 'utf8', maxBuffer: 32 * 1024 * 1024 });
	return JSON.parse(out) as ScanResult;
}

/** The package as npm would publish it, unpacked. */
function packedCopy(): string {
	const dir = mkdtempSync(join(tmpdir(), 'tiktok-scan-'));
	const out = execFileSync('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], { cwd: root, encoding: 'utf8' });
	const [{ filename }] = JSON.parse(out) as Array<{ filename: string }>;
	execFileSync('tar', ['xzf', join(dir, filename), '-C', dir]);
	return join(dir, 'package');
}

describe('n8n community-package scanner (static analysis, both legs)', () => {
	const scratch: string[] = [];
	afterAll(() => {
		for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
	});

	it('passes on the source: package.json, nodes/ and credentials/', () => {
		const result = scan(root, 'source');
		expect({ passed: result.passed, details: result.details }).toEqual({ passed: true, details: '' });
	}, 180_000);

	it('passes on the packed tarball', () => {
		const packed = packedCopy();
		scratch.push(join(packed, '..'));
		const result = scan(packed, 'tarball');
		expect({ passed: result.passed, details: result.details }).toEqual({ passed: true, details: '' });
	}, 180_000);

	it('fails on a copy whose node code uses setTimeout and reads an environment variable', () => {
		const copy = mkdtempSync(join(tmpdir(), 'tiktok-scan-bad-'));
		scratch.push(copy);
		for (const entry of ['package.json', 'nodes', 'credentials']) cpSync(join(root, entry), join(copy, entry), { recursive: true });
		const file = join(copy, 'nodes', 'TikTok', 'transport', 'waiting.ts');
		writeFileSync(file, `${readFileSync(file, 'utf8')}\nexport const late = () => setTimeout(() => process.env.HOME, 1);\n`);
		const result = scan(copy, 'source');
		expect(result.passed).toBe(false);
		expect(result.details).toMatch(/no-restricted-globals/);
	}, 180_000);
});
