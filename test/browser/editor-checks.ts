// The editor half of the browser check: the demo workflow, the TikTok node's panel (operations,
// privacy options loaded live from the emulator), a run from the editor, and every resource's
// operations. Each function is one check: it throws on a mismatch and returns a summary detail.
import type { Locator, Page } from 'playwright-core';
import { PLAYGROUND_CREDENTIAL, type Playground } from '../playground/playground';
import { requestsTo, type EmulatorControl } from './emulator-control';
import {
	chooseOption,
	closeNodePanel,
	executeWorkflow,
	openNodePanel,
	openWorkflow,
	readDropdown,
	selectedLabel,
	signIn,
	type DropdownOption,
} from './n8n-editor';
import type { Screenshots } from './screenshots';

export const TIKTOK_NODE = 'Post to TikTok';
const DEMO_NODES = ['When clicking ‘Execute workflow’', 'Read sample video', TIKTOK_NODE];

const RESOURCES = ['Creator', 'Photo', 'Post', 'Video'];
const OPERATIONS: Record<string, string[]> = {
	Creator: ['Get Info'],
	Photo: ['Post'],
	Post: ['Get Status', 'Cancel'],
	Video: ['Post'],
};
/** n8n's editor adds this entry to the Resource and Operation lists of nodes with credentials. */
const N8N_CUSTOM_API_CALL = 'Custom API Call';

/**
 * A private account's options: FOLLOWER_OF_CREATOR is not among the emulator's defaults and
 * PUBLIC_TO_EVERYONE is, so the list proves the node asked TikTok (the emulator) live.
 * The labels are what a user must see (nodes/TikTok/shared/validation.ts), written out here.
 */
const PRIVATE_ACCOUNT_PRIVACY: Record<string, string> = {
	FOLLOWER_OF_CREATOR: 'Followers',
	MUTUAL_FOLLOW_FRIENDS: 'Friends (mutual followers)',
	SELF_ONLY: 'Only me',
};
const CREATOR_INFO_PATH = '/v2/post/publish/creator_info/query/';
const RUN_TIMEOUT_MS = 90_000;

export interface EditorContext {
	page: Page;
	playground: Playground;
	emulator: EmulatorControl;
	shots: Screenshots;
	/** The emulator's last request id when the creator's privacy options were changed. */
	privacyChangedAfterRequest?: number;
}

function sameList(actual: string[], expected: string[]): boolean {
	return actual.length === expected.length && expected.every((item) => actual.includes(item));
}

function show(list: string[]): string {
	return `[${list.join(', ')}]`;
}

/** Our entries: the list minus n8n's own addition, which must be there once (it is n8n's, not ours). */
function ownEntries(labels: string[], what: string): string[] {
	const ours = labels.filter((label) => label !== N8N_CUSTOM_API_CALL);
	if (labels.length - ours.length !== 1)
		throw new Error(`${what}: expected n8n's "${N8N_CUSTOM_API_CALL}" once, got ${show(labels)}`);
	return ours;
}

export async function checkSignIn({ page, playground, shots }: EditorContext): Promise<string> {
	await signIn(page, playground.n8n.baseUrl, playground.owner);
	await shots.take(page, 'signed-in');
	return `as ${playground.owner.email}`;
}

export async function checkDemoWorkflow({
	page,
	playground,
	shots,
}: EditorContext): Promise<string> {
	await openWorkflow(page, playground.workflowUrl, DEMO_NODES);
	const title = await page.getByTestId('workflow-name-input').innerText();
	if (title.trim() !== playground.workflowName)
		throw new Error(`the editor shows workflow "${title.trim()}"`);
	await shots.take(page, 'demo-workflow');
	return `"${playground.workflowName}" with ${DEMO_NODES.length} nodes`;
}

/**
 * Opens the TikTok node (after switching the emulator creator to a private account's privacy
 * options: n8n loads remote options when the panel opens), checks what it shows and lists.
 */
export async function checkNodePanel(context: EditorContext): Promise<string> {
	const { page, emulator, shots } = context;
	await emulator.configure({
		creator: { privacyLevelOptions: Object.keys(PRIVATE_ACCOUNT_PRIVACY) },
	});
	context.privacyChangedAfterRequest = (await emulator.state()).lastRequestId;
	const panel = await openNodePanel(page, TIKTOK_NODE);
	await shots.take(page, 'tiktok-node-panel');
	const shown = {
		credential: await panel.getByTestId('node-credentials-select').locator('input').inputValue(),
		resource: await selectedLabel(panel, 'resource'),
		operation: await selectedLabel(panel, 'operation'),
	};
	if (shown.resource !== 'Video' || shown.operation !== 'Post')
		throw new Error(
			`the panel shows ${shown.resource} → ${shown.operation}, expected Video → Post`,
		);
	if (shown.credential !== PLAYGROUND_CREDENTIAL.name)
		throw new Error(`the panel shows credential "${shown.credential}"`);
	const resources = ownEntries(labels(await readDropdown(panel, 'resource')), 'Resource');
	if (!sameList(resources, RESOURCES))
		throw new Error(`Resource offers ${show(resources)}, expected ${show(RESOURCES)}`);
	const operations = ownEntries(labels(await readDropdown(panel, 'operation')), 'Operation');
	if (!sameList(operations, OPERATIONS.Video))
		throw new Error(
			`Video's Operation offers ${show(operations)}, expected ${show(OPERATIONS.Video)}`,
		);
	return `Video → Post with "${shown.credential}"; Resource ${show(resources)}; Video: ${show(operations)}`;
}

export async function checkPrivacyOptions(context: EditorContext): Promise<string> {
	const { page, emulator, shots } = context;
	const panel = page.getByTestId('ndv');
	const expected = Object.values(PRIVATE_ACCOUNT_PRIVACY);
	const options = await readDropdown(panel, 'privacyLevel', (current) =>
		sameList(labels(current), expected),
	);
	const seen = labels(options);
	if (!sameList(seen, expected))
		throw new Error(`"Privacy Level Name or ID" offers ${show(seen)}, expected ${show(expected)}`);
	assertDescriptionsNameValues(options);
	const selected = await selectedLabel(panel, 'privacyLevel');
	if (selected !== PRIVATE_ACCOUNT_PRIVACY.SELF_ONLY)
		throw new Error(`the demo's SELF_ONLY shows as "${selected}"`);
	// The list came from the emulator after its options changed, not from anything cached.
	const state = await emulator.state(context.privacyChangedAfterRequest ?? 0);
	const calls = requestsTo(state, 'POST', CREATOR_INFO_PATH).filter((call) => call.status === 200);
	if (calls.length === 0)
		throw new Error('the emulator answered no creator_info request since the change');
	await showPrivacyDropdown(panel, page, shots);
	return `${show(seen)}, selected "${selected}"; creator_info calls since the change: ${calls.length}`;
}

/** Each option says which TikTok value it stands for, so the label maps to the right value. */
function assertDescriptionsNameValues(options: DropdownOption[]): void {
	for (const option of options) {
		const value = Object.keys(PRIVATE_ACCOUNT_PRIVACY).find(
			(key) => PRIVATE_ACCOUNT_PRIVACY[key] === option.label,
		);
		if (!value || !option.description.startsWith(value))
			throw new Error(`option "${option.label}" is described as "${option.description}"`);
	}
}

/** A picture of the open dropdown, for people reading the screenshots. */
async function showPrivacyDropdown(panel: Locator, page: Page, shots: Screenshots): Promise<void> {
	const input = panel.getByTestId('parameter-input-privacyLevel').locator('input[role=combobox]');
	await input.click();
	const listbox = page.locator(`[id="${await input.getAttribute('aria-controls')}"]`);
	await listbox.waitFor();
	await shots.take(page, 'privacy-level-open');
	await page.keyboard.press('Escape');
	await listbox.waitFor({ state: 'hidden' });
}

export async function checkRunFromEditor(context: EditorContext): Promise<string> {
	const { page, playground, emulator, shots } = context;
	await closeNodePanel(page);
	const before = (await emulator.state()).posts.length;
	// Watched from the start: n8n's toast disappears after a few seconds.
	const toast = page
		.getByText('Workflow executed successfully')
		.first()
		.waitFor({ timeout: RUN_TIMEOUT_MS });
	toast.catch(() => undefined);
	const run = await executeWorkflow(page, TIKTOK_NODE, RUN_TIMEOUT_MS);
	await shots.take(page, `run-${run.outcome}`);
	if (run.outcome !== 'success') throw new Error(`the workflow failed: ${run.message}`);
	await toast;
	const posts = (await emulator.state()).posts.slice(before);
	if (posts.length !== 1) throw new Error(`the emulator has ${posts.length} new posts, expected 1`);
	const [post] = posts;
	if (post.sha256 !== playground.sampleVideo.sha256)
		throw new Error(
			`the post's sha256 is ${String(post.sha256)}, the sample's ${playground.sampleVideo.sha256}`,
		);
	if (post.status !== 'PUBLISH_COMPLETE') throw new Error(`the post is ${post.status}`);
	return `${post.publish_id}: ${post.status}, ${post.bytes} bytes, sha256 ${post.sha256.slice(0, 12)}… = sample`;
}

/** After the run: the node's output shows the post; then every resource lists its operations. */
export async function checkOperationsPerResource(context: EditorContext): Promise<string> {
	const { page, emulator, shots } = context;
	const panel = await openNodePanel(page, TIKTOK_NODE);
	const [post] = (await emulator.state()).posts.slice(-1);
	const output = panel.getByTestId('output-panel');
	await output.getByText(post.publish_id).first().waitFor();
	await output.getByText('PUBLISH_COMPLETE').first().waitFor();
	await shots.take(page, 'tiktok-node-output');
	const found: string[] = [];
	for (const resource of RESOURCES.filter((name) => name !== 'Video')) {
		await chooseOption(panel, 'resource', resource);
		const operations = ownEntries(
			labels(await readDropdown(panel, 'operation')),
			`${resource}'s Operation`,
		);
		if (!sameList(operations, OPERATIONS[resource]))
			throw new Error(
				`${resource}'s Operation offers ${show(operations)}, expected ${show(OPERATIONS[resource])}`,
			);
		await shots.take(page, `resource-${resource.toLowerCase()}`);
		found.push(`${resource}: ${show(operations)}`);
	}
	await closeNodePanel(page);
	return `output shows ${post.publish_id}; ${found.join('; ')}`;
}

function labels(options: DropdownOption[]): string[] {
	return options.map((option) => option.label);
}
