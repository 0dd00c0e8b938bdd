/* eslint-disable @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// TikTok's declarations where users choose: the Music Usage Confirmation beside a direct post,
// what a draft is beside Upload as Draft, and what posting photos from binary data needs from
// n8n beside that source. TikTok's content sharing guidelines require the declaration to be shown
// before posting, so each must appear for its choice and only for it.
import type { Locator } from 'playwright-core';
import { TIKTOK_NODE, type EditorContext } from './editor-checks';
import { chooseOption, closeNodePanel, openNodePanel, selectedLabel } from './n8n-editor';

const MUSIC_USAGE_LINK = "Music Usage Confirmation";
const MUSIC_USAGE_URL = 'https://www.tiktok.com/legal/page/global/music-usage-confirmation/en';
const DRAFT_NOTICE = /Drafts go to the creator's TikTok inbox/;
const BINARY_PHOTOS_NOTICE = /TikTok downloads the images from n8n/;
const SHOWN_MS = 10_000;

async function assertShown(what: string, locator: Locator): Promise<void> {
	try {
		await locator.first().waitFor({ state: 'visible', timeout: SHOWN_MS });
	} catch {
		throw new Error(`${what} is not shown`);
	}
}

async function assertHidden(what: string, locator: Locator): Promise<void> {
	try {
		await locator.first().waitFor({ state: 'hidden', timeout: SHOWN_MS });
	} catch {
		throw new Error(`${what} is shown where it does not apply`);
	}
}

export async function checkNotices({ page, shots }: EditorContext): Promise<string> {
	const panel = await openNodePanel(page, TIKTOK_NODE);
	const musicLink = panel.getByRole('link', { name: MUSIC_USAGE_LINK });
	const draftNotice = panel.getByText(DRAFT_NOTICE);
	const photosNotice = panel.getByText(BINARY_PHOTOS_NOTICE);

	await chooseOption(panel, 'resource', 'Video');
	const operation = await selectedLabel(panel, 'operation');
	if (operation !== 'Post') throw new Error(`Video's operation shows as "${operation}"`);
	await chooseOption(panel, 'postMode', 'Direct Post');
	await assertShown('the Music Usage Confirmation beside Direct Post', musicLink);
	const href = await musicLink.first().getAttribute('href');
	if (href !== MUSIC_USAGE_URL) throw new Error(`the Music Usage Confirmation links to ${String(href)}`);
	await assertHidden('the draft notice', draftNotice);
	await musicLink.first().scrollIntoViewIfNeeded();
	await shots.take(page, 'notice-direct-post');

	await chooseOption(panel, 'postMode', 'Upload as Draft');
	await assertShown('the draft notice beside Upload as Draft', draftNotice);
	await assertHidden('the Music Usage Confirmation', musicLink);
	await draftNotice.first().scrollIntoViewIfNeeded();
	await shots.take(page, 'notice-draft');
	await chooseOption(panel, 'postMode', 'Direct Post');

	await chooseOption(panel, 'resource', 'Photo');
	await chooseOption(panel, 'photoSource', 'URLs');
	await assertHidden('the binary photos notice', photosNotice);
	await chooseOption(panel, 'photoSource', 'Binary Files');
	await assertShown('the binary photos notice beside Photo Source "Binary Files"', photosNotice);
	await photosNotice.first().scrollIntoViewIfNeeded();
	await shots.take(page, 'notice-binary-photos');

	// Leave the demo as it was.
	await chooseOption(panel, 'photoSource', 'URLs');
	await chooseOption(panel, 'resource', 'Video');
	await closeNodePanel(page);
	return `Music Usage Confirmation (links to TikTok's page) with Direct Post only; the draft notice with Upload as Draft only; the binary photos notice with Photo Source "Binary Files" only`;
}
