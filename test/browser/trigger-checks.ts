// The TikTok Trigger in the editor: found through the node panel's search on a new workflow, its
// panel with the setup notice, the Events list and its webhook URLs, and a test event: while the
// node listens, a delivery signed like TikTok's reaches the Test URL and shows in the output.
import type { Locator, Page } from 'playwright-core';
import { EMULATOR_APP, type Playground } from '../playground/playground';
import type { EmulatorControl } from './emulator-control';
import type { Screenshots } from './screenshots';

export const TRIGGER_NODE = 'TikTok Trigger';
/** n8n lists a trigger's events as "On <event name>" under the app's Triggers. */
const TRIGGER_ACTIONS = [
	'On authorization removed',
	'On post failed',
	'On post inbox delivered',
	'On post no longer publicly available',
	'On post publicly available',
	'On post published',
];
const EVENT_LABELS = [
	'Authorization Removed',
	'Post Failed',
	'Post Inbox Delivered',
	'Post No Longer Publicly Available',
	'Post Publicly Available',
	'Post Published',
];
const NOTICE_PHRASES = [
	'one callback URL per app',
	'Development configuration → Webhooks',
	'Production URL',
	'Test URL only receives events while this node is listening',
	'fan out',
];
const TEST_URL = /http:\/\/127\.0\.0\.1:\d+\/webhook-test\/[0-9a-f-]{36}\/webhook/;
const PRODUCTION_URL = /http:\/\/127\.0\.0\.1:\d+\/webhook\/[0-9a-f-]{36}\/webhook/;
const LISTEN_TIMEOUT_MS = 30_000;

export interface TriggerContext {
	page: Page;
	playground: Playground;
	emulator: EmulatorControl;
	shots: Screenshots;
	/** The panel, once the node was added. */
	panel?: Locator;
}

function show(list: string[]): string {
	return `[${list.join(', ')}]`;
}

/** The labels a multi-options parameter offers (element-plus multi-select: two comboboxes, the first opens it). */
async function readMultiOptions(panel: Locator, parameter: string): Promise<string[]> {
	const input = panel
		.getByTestId(`parameter-input-${parameter}`)
		.locator('input[role=combobox]')
		.first();
	await input.click();
	const listbox = panel.page().locator(`[id="${await input.getAttribute('aria-controls')}"]`);
	await listbox.waitFor();
	const labels = await listbox
		.locator('li[role=option]')
		.evaluateAll((items) =>
			items.map(
				(item) => (item.querySelector('.option-headline') ?? item).textContent?.trim() ?? '',
			),
		);
	await panel.page().keyboard.press('Escape');
	await listbox.waitFor({ state: 'hidden' });
	return labels;
}

/** A new workflow, "Add first step", search "TikTok": the app offers the trigger's six events. */
export async function checkTriggerInNodePanel(context: TriggerContext): Promise<string> {
	const { page, playground, shots } = context;
	await page.goto(`${playground.n8n.baseUrl}/workflow/new`);
	await page.getByTestId('canvas-add-button').click();
	await page.getByTestId('node-creator-search-bar').fill('TikTok');
	const app = page.getByTestId('node-creator-item-name').filter({ hasText: /^TikTok$/ });
	await app.waitFor();
	await shots.take(page, 'node-panel-search-tiktok');
	await app.click();
	const creator = page.getByTestId('node-creator');
	await creator.getByText('Triggers (6)').waitFor();
	const names = (await creator.getByTestId('node-creator-item-name').allInnerTexts()).map((name) =>
		name.trim(),
	);
	const triggers = names.filter((name) => name.startsWith('On '));
	if (triggers.join('|') !== TRIGGER_ACTIONS.join('|'))
		throw new Error(
			`the TikTok app lists triggers ${show(triggers)}, expected ${show(TRIGGER_ACTIONS)}`,
		);
	await shots.take(page, 'node-panel-tiktok-triggers');
	return `"TikTok" in the search; Triggers: ${show(triggers)}`;
}

/** Picking "On post published" adds the TikTok Trigger and opens its panel. */
export async function checkTriggerPanel(context: TriggerContext): Promise<string> {
	const { page, shots } = context;
	await page
		.getByTestId('node-creator-item-name')
		.filter({ hasText: /^On post published$/ })
		.click();
	const panel = page.getByTestId('ndv');
	await panel.getByTestId('node-parameters').waitFor();
	context.panel = panel;
	const title = (await panel.getByTestId('node-title-container').innerText()).trim();
	if (title !== TRIGGER_NODE) throw new Error(`the panel is titled "${title}"`);
	const credential = await panel
		.getByTestId('node-credentials-select')
		.locator('input')
		.inputValue();
	// n8n preselects one of the TikTok credentials the user has (the newest): any will do here.
	if (!credential.startsWith('TikTok'))
		throw new Error(`the panel shows credential "${credential}"`);
	const notice = panel.getByText(/^TikTok sends its events to one callback URL per app/).first();
	const noticeText = (await notice.innerText()).replace(/\s+/g, ' ');
	const missing = NOTICE_PHRASES.filter((phrase) => !noticeText.includes(phrase));
	if (missing.length) throw new Error(`the setup notice lacks ${show(missing)}: "${noticeText}"`);
	const selected = (await panel.getByTestId('parameter-input-events').innerText()).trim();
	if (selected !== 'Post Published')
		throw new Error(`Events shows "${selected}", expected the event picked`);
	const offered = await readMultiOptions(panel, 'events');
	if (offered.join('|') !== EVENT_LABELS.join('|'))
		throw new Error(`Events offers ${show(offered)}, expected ${show(EVENT_LABELS)}`);
	await shots.take(page, 'tiktok-trigger-panel');
	await panel.getByText('Webhook URLs', { exact: true }).click();
	await panel.getByText('Production URL', { exact: true }).click();
	const production = PRODUCTION_URL.exec(await panel.innerText())?.[0];
	if (!production)
		throw new Error('the panel shows no Production URL of the form /webhook/<id>/webhook');
	await shots.take(page, 'tiktok-trigger-production-url');
	return `"${title}" with "${credential}"; notice says ${NOTICE_PHRASES.length} things; Events: ${show(offered)}; ${production}`;
}

/** Listening: a delivery signed with the app's secret, sent to the Test URL, shows as the output. */
export async function checkTriggerTestEvent(context: TriggerContext): Promise<string> {
	const { page, emulator, shots } = context;
	const panel = context.panel ?? page.getByTestId('ndv');
	// The URL toggle is disabled while listening: pick the Test URL first.
	await panel.getByText('Test URL', { exact: true }).click();
	await panel.getByTestId('trigger-execute-button').click();
	await panel.getByText('Listening for test event').first().waitFor({ timeout: LISTEN_TIMEOUT_MS });
	const testUrl = TEST_URL.exec(await panel.innerText())?.[0];
	if (!testUrl)
		throw new Error('no Test URL of the form /webhook-test/<id>/webhook while listening');
	await shots.take(page, 'tiktok-trigger-listening');
	const publishId = `v_pub_file~v2-1.browser${Date.now()}`;
	const body = {
		client_key: EMULATOR_APP.clientKey,
		event: 'post.publish.complete',
		create_time: Math.floor(Date.now() / 1000),
		user_openid: 'browser-check-user',
		content: JSON.stringify({ publish_id: publishId, publish_type: 'DIRECT_POST' }),
	};
	const sent = await emulator.sendWebhook({ url: testUrl, body });
	if (sent.status !== 200)
		throw new Error(`the Test URL answered ${sent.status}: ${sent.responseBody}`);
	const output = panel.getByTestId('output-panel');
	await output.getByText(publishId).first().waitFor({ timeout: LISTEN_TIMEOUT_MS });
	await output.getByText('post.publish.complete').first().waitFor();
	await shots.take(page, 'tiktok-trigger-test-event');
	return `listened on ${testUrl}; a signed post.publish.complete (${publishId}) shows in the output`;
}
