// Driving n8n's editor (2.41) with playwright-core: sign in, the canvas, the node panel (NDV) and
// its dropdowns. Selectors are n8n's own data-test-id attributes (the page must use
// selectors.setTestIdAttribute('data-test-id')) and element-plus's ARIA roles.
import type { Locator, Page } from 'playwright-core';

export interface DropdownOption {
	label: string;
	description: string;
}

const POLL_MS = 200;
/** Remote options (loadOptions) arrive over the network: how long to wait for them to settle. */
const OPTIONS_SETTLE_MS = 15_000;

export async function signIn(
	page: Page,
	baseUrl: string,
	owner: { email: string; password: string },
): Promise<void> {
	await page.goto(`${baseUrl}/signin`);
	await page.locator('input[type=email]').fill(owner.email);
	await page.locator('input[type=password]').fill(owner.password);
	await page.getByRole('button', { name: 'Sign in' }).click();
	await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
}

export function canvasNode(page: Page, nodeName: string): Locator {
	return page.locator(`[data-test-id="canvas-node"][data-node-name="${nodeName}"]`);
}

/**
 * Opens a workflow by its URL and waits for its nodes. (Clicking it in the workflows list would
 * save a page load, but n8n 2.41 then logs its own console error, "injectNDVStore() was accessed
 * without an active workflow document store".)
 */
export async function openWorkflow(page: Page, url: string, nodeNames: string[]): Promise<void> {
	await page.goto(url);
	for (const name of nodeNames) await canvasNode(page, name).waitFor();
}

/** Opens a node's panel by double-clicking it on the canvas; returns the panel. */
export async function openNodePanel(page: Page, nodeName: string): Promise<Locator> {
	await canvasNode(page, nodeName).dblclick();
	const panel = page.getByTestId('ndv');
	await panel.getByTestId('node-parameters').waitFor();
	return panel;
}

export async function closeNodePanel(page: Page): Promise<void> {
	await page.getByTestId('ndv-close-button').click();
	await page.getByTestId('ndv').waitFor({ state: 'hidden' });
}

function selectInput(panel: Locator, parameter: string): Locator {
	return panel.getByTestId(`parameter-input-${parameter}`).locator('input[role=combobox]');
}

/** The label an options parameter shows. */
export function selectedLabel(panel: Locator, parameter: string): Promise<string> {
	return selectInput(panel, parameter).inputValue();
}

/** Opens an options parameter's dropdown; returns its listbox (element-plus links it by aria-controls). */
async function openDropdown(panel: Locator, parameter: string): Promise<Locator> {
	const input = selectInput(panel, parameter);
	await input.click();
	const listboxId = await input.getAttribute('aria-controls');
	if (!listboxId) throw new Error(`the "${parameter}" dropdown has no listbox`);
	const listbox = panel.page().locator(`[id="${listboxId}"]`);
	await listbox.waitFor();
	return listbox;
}

async function closeDropdown(panel: Locator, listbox: Locator): Promise<void> {
	await panel.page().keyboard.press('Escape');
	await listbox.waitFor({ state: 'hidden' });
}

async function optionsIn(listbox: Locator): Promise<DropdownOption[]> {
	return listbox.locator('li[role=option]').evaluateAll((items) =>
		items.map((item) => ({
			label: item.querySelector('.option-headline')?.textContent?.trim() ?? '',
			description: item.querySelector('.option-description')?.textContent?.trim() ?? '',
		})),
	);
}

/**
 * The options an options parameter's dropdown offers, read from the DOM. For options that load
 * from the network, `settled` says when the list is complete; the last list seen is returned
 * if it never says so, for the caller to report.
 */
export async function readDropdown(
	panel: Locator,
	parameter: string,
	settled: (options: DropdownOption[]) => boolean = () => true,
): Promise<DropdownOption[]> {
	const listbox = await openDropdown(panel, parameter);
	const deadline = Date.now() + OPTIONS_SETTLE_MS;
	let options = await optionsIn(listbox);
	while (!settled(options) && Date.now() < deadline) {
		await panel.page().waitForTimeout(POLL_MS);
		options = await optionsIn(listbox);
	}
	await closeDropdown(panel, listbox);
	return options;
}

export async function chooseOption(
	panel: Locator,
	parameter: string,
	label: string,
): Promise<void> {
	const listbox = await openDropdown(panel, parameter);
	const headline = panel
		.page()
		.locator('.option-headline', { hasText: new RegExp(`^${escapeRegExp(label)}$`) });
	await listbox.locator('li[role=option]').filter({ has: headline }).click();
	await listbox.waitFor({ state: 'hidden' });
	const deadline = Date.now() + OPTIONS_SETTLE_MS;
	while ((await selectedLabel(panel, parameter)) !== label) {
		if (Date.now() > deadline) throw new Error(`"${parameter}" did not change to "${label}"`);
		await panel.page().waitForTimeout(POLL_MS);
	}
}

/**
 * Clicks the canvas's "Execute workflow" button and waits until `nodeName` shows its success or
 * error mark. Returns the outcome and, on error, the text of n8n's error toast.
 */
export async function executeWorkflow(
	page: Page,
	nodeName: string,
	timeoutMs: number,
): Promise<{ outcome: 'success' | 'error'; message: string }> {
	await page.getByTestId('execute-workflow-button').click();
	const node = canvasNode(page, nodeName);
	const success = node.getByTestId('canvas-node-status-mark-success');
	const failure = node.getByTestId('canvas-node-status-mark-error');
	await success.or(failure).first().waitFor({ timeout: timeoutMs });
	if (await success.isVisible()) return { outcome: 'success', message: '' };
	const toast = page.locator('.el-notification').first();
	const message = (await toast.isVisible()) ? await toast.innerText() : '(no error toast)';
	return { outcome: 'error', message: message.replace(/\s+/g, ' ').trim() };
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
