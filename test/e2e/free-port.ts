/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Asks the OS for a currently free TCP port on the loopback interface.
import { createServer } from 'net';

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
		});
	});
}

/** Distinct free ports (the OS could hand out the same port twice if each is closed before the next ask). */
export async function freePorts(count: number): Promise<number[]> {
	const ports = new Set<number>();
	for (let attempt = 0; ports.size < count && attempt < count * 20; attempt++) {
		ports.add(await freePort());
	}
	if (ports.size < count) throw new Error(`could not find ${count} distinct free ports`);
	return [...ports];
}
