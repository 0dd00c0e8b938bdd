// `npm run test:browser`: the package as a user meets it, in n8n's editor in a real browser.
// Starts the playground (emulator + pinned n8n + credential + demo workflow) on free ports, drives
// Debian's chromium with playwright-core, saves screenshots under test-results/browser/ and fails
// on any browser console error that is not on the short list of n8n's own known noise.
//   npm run test:browser [-- --no-build]
import { mkdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { chromium, type Browser, type ConsoleMessage, type Page } from 'playwright-core';
import { freePorts } from '../e2e/free-port';
import { REPO_ROOT } from '../e2e/package-install';
import { startPlayground, type Playground } from '../playground/playground';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-dev-shm-usage',
	'--disable-component-update',
	'--no-first-run',
];
const STEP_TIMEOUT_MS = 60_000;
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'browser');

interface ConsoleProblem {
	step: string;
	text: string;
	url: string;
}

/**
 * Console errors n8n's editor produces by itself, unrelated to this package:
 * the sign-in page probes /rest/login before anyone is logged in (401).
 */
const KNOWN_N8N_NOISE: Array<{ step: string; pattern: RegExp }> = [
	{ step: 'sign in', pattern: /status of 401/ },
];

class ConsoleWatcher {
	readonly problems: ConsoleProblem[] = [];
	step = 'start';

	watch(page: Page): void {
		page.on('console', (message: ConsoleMessage) => {
			if (message.type() !== 'error') return;
			this.record(message.text(), message.location().url);
		});
		page.on('pageerror', (error) => this.record(`uncaught: ${error.message}`, page.url()));
	}

	private record(text: string, url: string): void {
		const known = KNOWN_N8N_NOISE.some(
			(noise) => noise.step === this.step && noise.pattern.test(text),
		);
		if (!known) this.problems.push({ step: this.step, text, url });
	}
}

async function screenshot(page: Page, name: string): Promise<void> {
	// The canvas fades nodes in; a picture taken mid-animation shows them blank.
	// (A string, because this project's TypeScript has no DOM types; endless spinners are skipped.)
	await page.evaluate(`Promise.all(document.getAnimations()
		.filter((animation) => animation.effect?.getTiming().iterations !== Infinity)
		.map((animation) => animation.finished.catch(() => undefined)))`);
	await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

async function signIn(page: Page, playground: Playground): Promise<void> {
	await page.goto(`${playground.n8n.baseUrl}/signin`, { waitUntil: 'networkidle' });
	await page.locator('input[type=email]').fill(playground.owner.email);
	await page.locator('input[type=password]').fill(playground.owner.password);
	await screenshot(page, '01-signin');
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

async function openDemoWorkflow(page: Page, playground: Playground): Promise<void> {
	await page.goto(playground.workflowUrl, { waitUntil: 'networkidle' });
	// The canvas shows every node of the demo, including ours, by its name.
	for (const name of ['Read sample video', 'Post to TikTok']) {
		await page.getByText(name, { exact: true }).first().waitFor();
	}
	await screenshot(page, '02-demo-workflow');
}

async function run(
	browser: Browser,
	playground: Playground,
	watcher: ConsoleWatcher,
): Promise<void> {
	const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
	page.setDefaultTimeout(STEP_TIMEOUT_MS);
	watcher.watch(page);

	watcher.step = 'sign in';
	await signIn(page, playground);
	watcher.step = 'open demo workflow';
	await openDemoWorkflow(page, playground);
	// Later phases: open the TikTok node, check the operations, the privacy options loaded live
	// from the emulator, run the workflow from the editor, and Connect a credential via consent.
	watcher.step = 'done';
}

async function main(): Promise<number> {
	mkdirSync(SCREENSHOTS, { recursive: true });
	const [n8nPort, emulatorPort] = await freePorts(2);
	const playground = await startPlayground({
		n8nPort,
		emulatorPort,
		build: !process.argv.includes('--no-build'),
		folder: join(tmpdir(), `n8n-browser-check-${process.pid}`),
		removeFolderOnStop: true,
	});
	let browser: Browser | undefined;
	const watcher = new ConsoleWatcher();
	try {
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
		});
		await run(browser, playground, watcher);
	} catch (error) {
		process.stderr.write(
			`browser check failed during "${watcher.step}": ${(error as Error).message}\n`,
		);
		process.stderr.write(`n8n log: ${playground.n8n.logFile}\n`);
		return 1;
	} finally {
		await browser?.close();
		await playground.stop();
	}
	if (watcher.problems.length > 0) {
		process.stderr.write('browser console errors:\n');
		for (const problem of watcher.problems) {
			process.stderr.write(`  [${problem.step}] ${problem.text} (${problem.url})\n`);
		}
		return 1;
	}
	process.stdout.write(`browser check passed; screenshots in ${SCREENSHOTS}\n`);
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		process.stderr.write(`browser check: ${error.message}\n`);
		process.exit(1);
	},
);
