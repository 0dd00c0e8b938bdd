/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- test code runs in Node.js, not inside n8n */
// The credential half of the browser check: a TikTok OAuth2 credential that is not connected yet
// is connected from n8n's credential dialog through the emulator's consent page, as a user would
// connect a real TikTok account.
import type { BrowserContext, Page } from 'playwright-core';
import type { Playground } from '../playground/playground';
import { EMULATOR_APP } from '../playground/playground';
import { requestsTo, type EmulatorControl } from './emulator-control';
import type { Screenshots } from './screenshots';

const CREDENTIAL_NAME = 'TikTok (connected in the browser check)';
const AUTHORIZE_PATH = '/v2/auth/authorize/';
const CONSENT_PATH = '/v2/auth/authorize/consent';
const TOKEN_PATH = '/v2/oauth/token/';
const CALLBACK_PATH = '/rest/oauth2-credential/callback';
const POPUP_TIMEOUT_MS = 30_000;

export interface CredentialContext {
	context: BrowserContext;
	playground: Playground;
	emulator: EmulatorControl;
	shots: Screenshots;
	credentialId?: string;
	/** The emulator's last request id before Connect was clicked. */
	connectAfterRequest?: number;
}

export async function checkCreateUnconnectedCredential(
	context: CredentialContext,
): Promise<string> {
	const { playground, emulator } = context;
	const created = await playground.n8n.rest.request<{ id: string }>('POST', '/rest/credentials', {
		name: CREDENTIAL_NAME,
		type: 'tikTokOAuth2Api',
		data: {
			apiBaseUrl: playground.emulator.url,
			clientId: EMULATOR_APP.clientKey,
			clientSecret: EMULATOR_APP.clientSecret,
		},
	});
	context.credentialId = created.id;
	if (await isConnected(context)) throw new Error('the new credential is connected already');
	// The emulator then shows its consent page instead of redirecting straight back.
	await emulator.configure({ autoApprove: false });
	return `"${CREDENTIAL_NAME}" (${created.id}), API base ${playground.emulator.url}, autoApprove off`;
}

export async function checkConnectThroughConsent(context: CredentialContext): Promise<string> {
	const { playground, emulator, shots } = context;
	const page = await context.context.newPage();
	try {
		await page.goto(`${playground.n8n.baseUrl}/home/credentials/${context.credentialId}`);
		const dialog = page.getByTestId('editCredential-modal');
		const notConnected = dialog.getByTestId('oauth-not-connected-banner');
		await notConnected.waitFor();
		await shots.take(page, 'credential-not-connected');
		context.connectAfterRequest = (await emulator.state()).lastRequestId;

		const popupOpened = page.waitForEvent('popup', { timeout: POPUP_TIMEOUT_MS });
		popupOpened.catch(() => undefined); // awaited below; never an unhandled rejection if the click fails
		await notConnected.getByRole('button', { name: /Connect( my account)?$/ }).click();
		const popup = await popupOpened;
		popup.setDefaultTimeout(POPUP_TIMEOUT_MS);
		const popupClosed = popup.waitForEvent('close', { timeout: POPUP_TIMEOUT_MS });
		popupClosed.catch(() => undefined);
		// The callback page is gone too fast to read (the editor closes the popup once the page
		// signals success), so record where the popup went.
		const visited: string[] = [];
		popup.on('framenavigated', (frame) => {
			if (frame === popup.mainFrame()) visited.push(frame.url());
		});
		await approveConsent(popup, playground.emulator.url, shots);
		await popupClosed;
		const callback = visited.find((url) =>
			url.startsWith(`${playground.n8n.baseUrl}${CALLBACK_PATH}?`),
		);
		if (!callback)
			throw new Error(`the popup never reached n8n's callback: ${visited.join(' → ')}`);

		await dialog.getByTestId('oauth-connect-success-banner').waitFor();
		const banner = (await dialog.getByTestId('oauth-connect-success-banner').innerText()).trim();
		await shots.take(page, 'credential-connected');
		if (!/Account connected/i.test(banner)) throw new Error(`the dialog says "${banner}"`);
		return `consent page approved, popup went through n8n's callback and closed; dialog: "${banner.split('\n')[0].trim()}"`;
	} finally {
		await page.close();
	}
}

/** The popup first shows the emulator's consent page; approve it there. */
async function approveConsent(popup: Page, emulatorUrl: string, shots: Screenshots): Promise<void> {
	const approve = popup.locator('#approve');
	await approve.waitFor();
	const consentUrl = new URL(popup.url());
	if (consentUrl.origin !== emulatorUrl || consentUrl.pathname !== AUTHORIZE_PATH)
		throw new Error(
			`the popup shows ${consentUrl.origin}${consentUrl.pathname}, not the consent page`,
		);
	await shots.take(popup, 'consent-page');
	await approve.click();
}

export async function checkConnectedAtBothEnds(context: CredentialContext): Promise<string> {
	if (!(await isConnected(context))) throw new Error('n8n does not hold tokens for the credential');
	const state = await context.emulator.state(context.connectAfterRequest ?? 0);
	const authorize = requestsTo(state, 'GET', AUTHORIZE_PATH);
	const consent = requestsTo(state, 'POST', CONSENT_PATH);
	const exchange = requestsTo(state, 'POST', TOKEN_PATH);
	if (authorize.length !== 1 || consent.length !== 1 || exchange.length !== 1)
		throw new Error(
			`expected one authorize, consent and token request each, got ${authorize.length}/${consent.length}/${exchange.length}`,
		);
	const { oauth: asked } = authorize[0];
	if (authorize[0].status !== 200)
		throw new Error(`authorize answered ${authorize[0].status}, not the consent page`);
	if (!asked?.query.includes('client_key') || asked.clientKey !== EMULATOR_APP.clientKey)
		throw new Error(`the authorize request's query had ${asked?.query.join(', ')}`);
	const { oauth: exchanged } = exchange[0];
	if (exchange[0].status !== 200)
		throw new Error(`the token exchange answered ${exchange[0].status}`);
	if (exchanged?.grantType !== 'authorization_code' || !exchanged.body.includes('client_key'))
		throw new Error(
			`the token exchange body had ${exchanged?.body.join(', ')} (${exchanged?.grantType})`,
		);
	if (exchanged.clientKey !== EMULATOR_APP.clientKey)
		throw new Error(`the token exchange carried client_key ${exchanged.clientKey}`);
	return `authorize query had client_key; code exchange body had ${exchanged.body.join(', ')}; n8n holds tokens`;
}

async function isConnected(context: CredentialContext): Promise<boolean> {
	const credential = await context.playground.n8n.rest.request<{
		data?: { oauthTokenData?: unknown };
	}>('GET', `/rest/credentials/${context.credentialId}?includeData=true`);
	return credential.data?.oauthTokenData === true;
}
