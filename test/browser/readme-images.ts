/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The README's pictures come from the browser check, never edited by hand:
// `npm run test:browser -- --readme-images` copies these screenshots of a passing run to images/.
import { copyFileSync, mkdirSync } from 'fs';
import { basename, join } from 'path';

/** Screenshot name (without its number) → file the README shows. */
export const README_IMAGES: Record<string, string> = {
	'demo-workflow': 'workflow.png',
	'tiktok-node-output': 'post-video-run.png',
	'notice-direct-post': 'direct-post-notice.png',
	'tiktok-trigger-panel': 'trigger-panel.png',
};

export function copyReadmeImages(taken: string[], folder: string): string[] {
	mkdirSync(folder, { recursive: true });
	const copied: string[] = [];
	for (const [shot, target] of Object.entries(README_IMAGES)) {
		const source = taken.find((path) => basename(path).replace(/^\d+-/, '') === `${shot}.png`);
		if (!source) throw new Error(`the run took no "${shot}" screenshot for the README`);
		copyFileSync(source, join(folder, target));
		copied.push(target);
	}
	return copied;
}
