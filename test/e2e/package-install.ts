/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Puts the built package where a user's n8n finds installed community packages:
// <n8nFolder>/nodes/node_modules/<package name>. Only what npm would publish is copied
// (package.json, index.js, dist), never the repository's own node_modules.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'fs';
import { join, resolve } from 'path';

export const REPO_ROOT = resolve(__dirname, '..', '..');

export interface PackageManifest {
	name: string;
	version: string;
	n8n: { nodes: string[]; credentials: string[] };
}

export function readPackageManifest(packageDir = REPO_ROOT): PackageManifest {
	return JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as PackageManifest;
}

/** Fails early with a clear message when `npm run build` has not produced what package.json promises. */
export function assertPackageBuilt(packageDir = REPO_ROOT): PackageManifest {
	const manifest = readPackageManifest(packageDir);
	const missing = [...manifest.n8n.nodes, ...manifest.n8n.credentials].filter(
		(file) => !existsSync(join(packageDir, file)),
	);
	if (missing.length > 0) {
		throw new Error(`run \`npm run build\` first; missing: ${missing.join(', ')}`);
	}
	return manifest;
}

/** Copies what n8n loads of a built package (package.json, index.js, dist/) into `target`. */
export function copyBuiltPackage(packageDir: string, target: string): PackageManifest {
	const manifest = assertPackageBuilt(packageDir);
	mkdirSync(target, { recursive: true });
	for (const entry of ['package.json', 'index.js', 'dist']) {
		cpSync(join(packageDir, entry), join(target, entry), { recursive: true });
	}
	return manifest;
}

export function installPackageInto(n8nFolder: string, packageDir = REPO_ROOT): string {
	const nodesDir = join(n8nFolder, 'nodes');
	const target = join(nodesDir, 'node_modules', readPackageManifest(packageDir).name);
	const manifest = copyBuiltPackage(packageDir, target);
	// What n8n's own community-package installer leaves behind next to node_modules.
	writeFileSync(
		join(nodesDir, 'package.json'),
		JSON.stringify(
			{
				name: 'installed-nodes',
				private: true,
				dependencies: { [manifest.name]: manifest.version },
			},
			null,
			2,
		),
	);
	return target;
}
