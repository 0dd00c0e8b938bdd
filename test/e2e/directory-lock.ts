/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// A cross-process lock built on mkdir (atomic on every filesystem), so two test runs that both find
// the n8n cache empty do not install into the same folder at once. The owner's pid is stored inside;
// a lock whose owner no longer runs is taken over, so a killed run cannot block later ones.
// (Two waiters taking over the same stale lock at the same instant could both proceed; the window
// is a few microseconds and the cost is one redundant install, so this stays simple.)
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'fs';
import { join } from 'path';

const POLL_MS = 1000;
const DEFAULT_MAX_WAIT_MS = 45 * 60 * 1000;
const MAX_LOCK_AGE_MS = 60 * 60 * 1000;

function ownerIsAlive(lockDir: string): boolean {
	let pid: number;
	try {
		// A pid can be reused by an unrelated process; no install legitimately takes this long.
		if (Date.now() - statSync(lockDir).mtimeMs > MAX_LOCK_AGE_MS) return false;
		pid = Number(readFileSync(join(lockDir, 'owner.pid'), 'utf8'));
	} catch {
		// The owner created the folder but has not written its pid yet: treat it as alive.
		return true;
	}
	if (!Number.isInteger(pid) || pid <= 0) return false;
	try {
		process.kill(pid, 0);
		return true;
	} catch (error) {
		return (error as NodeJS.ErrnoException).code === 'EPERM';
	}
}

function tryAcquire(lockDir: string): boolean {
	try {
		mkdirSync(lockDir);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
		if (ownerIsAlive(lockDir)) return false;
		rmSync(lockDir, { recursive: true, force: true });
		return tryAcquire(lockDir);
	}
	writeFileSync(join(lockDir, 'owner.pid'), String(process.pid));
	return true;
}

export async function withDirectoryLock<T>(
	lockDir: string,
	work: () => Promise<T>,
	maxWaitMs = DEFAULT_MAX_WAIT_MS,
): Promise<T> {
	const deadline = Date.now() + maxWaitMs;
	let announced = false;
	while (!tryAcquire(lockDir)) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for lock ${lockDir}`);
		if (!announced) {
			process.stderr.write(`waiting for another process holding ${lockDir}\n`);
			announced = true;
		}
		await new Promise((resolve) => setTimeout(resolve, POLL_MS));
	}
	try {
		return await work();
	} finally {
		rmSync(lockDir, { recursive: true, force: true });
	}
}
