/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// Numbered screenshots in one folder (git ignores test-results/), so a run reads like a story.
import { mkdirSync, readdirSync, rmSync } from 'fs';
import { join } from 'path';
import type { Page } from 'playwright-core';

/** How long to let n8n's fade-in animations finish before a picture (they would show blanks). */
const ANIMATIONS_MS = 2_000;

export class Screenshots {
	private count = 0;
	readonly taken: string[] = [];

	constructor(readonly folder: string) {
		mkdirSync(folder, { recursive: true });
		// Pictures of an earlier run would be mistaken for this one's.
		for (const file of readdirSync(folder)) {
			if (file.endsWith('.png')) rmSync(join(folder, file));
		}
	}

	async take(page: Page, name: string): Promise<string> {
		this.count += 1;
		const path = join(this.folder, `${String(this.count).padStart(2, '0')}-${name}.png`);
		// A string, because this project's TypeScript has no DOM types; endless spinners are skipped.
		await page
			.evaluate(
				`Promise.race([
					Promise.all(document.getAnimations()
						.filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
						.map((animation) => animation.finished.catch(() => undefined))),
					new Promise((resolve) => setTimeout(resolve, ${ANIMATIONS_MS})),
				])`,
			)
			.catch(() => undefined);
		await page.screenshot({ path });
		this.taken.push(path);
		return path;
	}
}
