/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// `npm run test:browser`: the package as a user meets it, in n8n's editor in a real browser.
// Starts the playground (emulator + pinned n8n + credential + demo workflow) on free ports, drives
// Debian's chromium with playwright-core, prints one line per check, saves numbered screenshots
// under test-results/browser/ and exits non-zero if any check fails or the browser logged a
// console error that is not on console-watcher.ts's short list of n8n's own noise.
//   npm run test:browser [-- --no-build]        (CHROMIUM_PATH overrides /usr/bin/chromium)
//   npm run test:browser -- --readme-images     also refresh the README's pictures in images/
import { copyFileSync, existsSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { chromium, selectors, type Browser, type BrowserContext } from 'playwright-core';
import { freePorts } from '../e2e/free-port';
import { REPO_ROOT } from '../e2e/package-install';
import { startPlayground, type Playground } from '../playground/playground';
import { Checklist } from './checklist';
import { ConsoleWatcher, isLoopback } from './console-watcher';
import {
	checkConnectedAtBothEnds,
	checkConnectThroughConsent,
	checkCreateUnconnectedCredential,
	type CredentialContext,
} from './credential-checks';
import {
	checkDemoWorkflow,
	checkNodePanel,
	checkOperationsPerResource,
	checkPrivacyOptions,
	checkRunFromEditor,
	checkSignIn,
	type EditorContext,
} from './editor-checks';
import { EmulatorControl } from './emulator-control';
import { checkNotices } from './notice-checks';
import { copyReadmeImages } from './readme-images';
import { Screenshots } from './screenshots';
import {
	checkTriggerInNodePanel,
	checkTriggerPanel,
	checkTriggerTestEvent,
	type TriggerContext,
} from './trigger-checks';

const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-background-networking',
	'--disable-dev-shm-usage',
	'--disable-component-update',
	'--no-first-run',
];
/** Upper bound for any single browser action or wait (runs have their own, longer bound). */
const ACTION_TIMEOUT_MS = 20_000;
const SCREENSHOTS = join(REPO_ROOT, 'test-results', 'browser');
const README_IMAGES_DIR = join(REPO_ROOT, 'images');

async function newContext(browser: Browser, blockedHosts: Set<string>): Promise<BrowserContext> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	context.setDefaultTimeout(ACTION_TIMEOUT_MS);
	context.setDefaultNavigationTimeout(ACTION_TIMEOUT_MS);
	// Tests talk to 127.0.0.1 only; anything else n8n's editor might fetch is cut off and noted.
	await context.route(
		(url) => !isLoopback(url.href),
		(route) => {
			blockedHosts.add(new URL(route.request().url()).host);
			return route.abort('blockedbyclient');
		},
	);
	return context;
}

async function runChecks(
	browser: Browser,
	playground: Playground,
	checklist: Checklist,
	watcher: ConsoleWatcher,
	blockedHosts: Set<string>,
	shots: Screenshots,
): Promise<void> {
	const context = await newContext(browser, blockedHosts);
	watcher.watchContext(context);
	const emulator = new EmulatorControl(playground.emulator.url);
	const editor: EditorContext = { page: await context.newPage(), playground, emulator, shots };

	const editorChain = checklist.chain();
	await editorChain.check('sign in', () => checkSignIn(editor));
	await editorChain.check('open the demo workflow', () => checkDemoWorkflow(editor));
	await editorChain.check('TikTok node panel: operation and Resource/Operation lists', () =>
		checkNodePanel(editor),
	);
	await editorChain.check('privacy options loaded live from the emulator', () =>
		checkPrivacyOptions(editor),
	);
	await editorChain.check('run the workflow from the editor', () => checkRunFromEditor(editor));
	await editorChain.check('operations of every resource', () => checkOperationsPerResource(editor));
	await editorChain.check("notices: TikTok's declarations beside the choices they belong to", () =>
		checkNotices(editor),
	);

	// Needs only the signed-in browser session, so it runs even if the editor chain broke late.
	const credential: CredentialContext = { context, playground, emulator, shots };
	const credentialChain = checklist.chain();
	await credentialChain.check('credential: a new, unconnected TikTok OAuth2 credential', () =>
		checkCreateUnconnectedCredential(credential),
	);
	await credentialChain.check('credential: Connect through the consent page', () =>
		checkConnectThroughConsent(credential),
	);
	await credentialChain.check('credential: client_key at authorize and code exchange', () =>
		checkConnectedAtBothEnds(credential),
	);

	// A new workflow in its own tab of the signed-in session.
	const trigger: TriggerContext = { page: await context.newPage(), playground, emulator, shots };
	const triggerChain = checklist.chain();
	await triggerChain.check('TikTok Trigger: found through the node panel search', () =>
		checkTriggerInNodePanel(trigger),
	);
	await triggerChain.check('TikTok Trigger: panel, setup notice, Events, Production URL', () =>
		checkTriggerPanel(trigger),
	);
	await triggerChain.check('TikTok Trigger: a signed test event on the Test URL', () =>
		checkTriggerTestEvent(trigger),
	);
	await context.close();
}

function printConsoleReport(watcher: ConsoleWatcher, blockedHosts: Set<string>): void {
	for (const problem of watcher.problems) {
		const firstLine = problem.text.split('\n')[0];
		process.stderr.write(`  console error [${problem.step}] ${firstLine} (${problem.url})\n`);
	}
	for (const noise of watcher.ignored) {
		process.stdout.write(
			`  ignored console error [${noise.step}] ${noise.text} (${noise.url}): ${noise.why}\n`,
		);
	}
	if (blockedHosts.size > 0)
		process.stdout.write(`  blocked requests to: ${[...blockedHosts].join(', ')}\n`);
}

async function main(): Promise<number> {
	const started = Date.now();
	selectors.setTestIdAttribute('data-test-id');
	const [n8nPort, emulatorPort] = await freePorts(2);
	const playground = await startPlayground({
		n8nPort,
		emulatorPort,
		build: !process.argv.includes('--no-build'),
		folder: join(tmpdir(), `n8n-browser-check-${process.pid}`),
		removeFolderOnStop: true,
	});
	const setupSeconds = (Date.now() - started) / 1000;
	const watcher = new ConsoleWatcher();
	const checklist = new Checklist(watcher);
	const blockedHosts = new Set<string>();
	const shots = new Screenshots(SCREENSHOTS);
	let browser: Browser | undefined;
	try {
		browser = await chromium.launch({
			executablePath: CHROMIUM,
			headless: true,
			args: CHROMIUM_ARGS,
		});
		await runChecks(browser, playground, checklist, watcher, blockedHosts, shots);
	} catch (error) {
		await checklist.run('browser session', () => Promise.reject(error));
	} finally {
		await browser?.close();
		// The playground's folder goes away on stop; its n8n log stays next to the screenshots.
		if (existsSync(playground.n8n.logFile))
			copyFileSync(playground.n8n.logFile, join(SCREENSHOTS, 'n8n.log'));
		await playground.stop();
	}
	// Errors logged after their check had finished count too.
	const late = checklist.unchargedConsoleErrors();
	if (late.length > 0)
		await checklist.run('no late console errors', async () => {
			throw new Error(`${late.length} console error(s), first: ${late[0].text.split('\n')[0]}`);
		});
	printConsoleReport(watcher, blockedHosts);

	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	const passed = checklist.results.filter((result) => result.outcome === 'PASS').length;
	const summary = `${passed}/${checklist.results.length} checks passed in ${seconds} s (setup ${setupSeconds.toFixed(1)} s); screenshots in ${SCREENSHOTS}`;
	if (checklist.failed) {
		process.stderr.write(`browser check FAILED: ${summary}\n`);
		return 1;
	}
	process.stdout.write(`browser check passed: ${summary}\n`);
	if (process.argv.includes('--readme-images')) {
		const copied = copyReadmeImages(shots.taken, README_IMAGES_DIR);
		process.stdout.write(`README images refreshed in ${README_IMAGES_DIR}: ${copied.join(', ')}\n`);
	}
	return 0;
}

main().then(
	(code) => process.exit(code),
	(error: Error) => {
		process.stderr.write(`browser check: ${error.message}\n`);
		process.exit(1);
	},
);
