import { createHmac } from 'crypto';
import type { IDataObject, IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';
import {
	acceptOnce,
	DEDUP_WINDOW_SECONDS,
	forgetAcceptedDeliveries,
	MAX_REMEMBERED_DELIVERIES,
	pruneRecords,
} from '../../nodes/TikTokTrigger/dedupe';
import { receiveDelivery } from '../../nodes/TikTokTrigger/receive';
import { recordRun } from '../../nodes/TikTokTrigger/recordRun';
import { TikTokTrigger } from '../../nodes/TikTokTrigger/TikTokTrigger.node';

const SECRET = 'app-secret-value';
const CLIENT_KEY = 'app-client-key';

interface FakeRequest {
	body: string;
	signature?: string;
	parameters?: IDataObject;
	credentials?: IDataObject;
	staticData?: IDataObject;
	workflowId?: string;
}

function sign(body: string, t = Math.floor(Date.now() / 1000), secret = SECRET): string {
	return `t=${t},s=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}`;
}

function envelope(
	event = 'post.publish.complete',
	content = '{"publish_id":"v_pub_file~v2-1.1","publish_type":"DIRECT_POST"}',
	createTime = 1764000000,
) {
	return JSON.stringify({
		client_key: CLIENT_KEY,
		event,
		create_time: createTime,
		user_openid: 'open-1',
		content,
	});
}

async function deliver(request: FakeRequest) {
	const answered: { status?: number; body?: unknown } = {};
	const logs: string[] = [];
	const staticData = request.staticData ?? {};
	const parameters: IDataObject = {
		authentication: 'oAuth2',
		options: {},
		events: ['post.publish.complete', 'authorization.removed'],
		...request.parameters,
	};
	const ctx = {
		getNodeParameter: (name: string, fallback?: unknown) => parameters[name] ?? fallback,
		getCredentials: async (type: string) =>
			request.credentials ??
			(type === 'tikTokOAuth2Api'
				? {
						clientId: CLIENT_KEY,
						clientSecret: SECRET,
						oauthTokenData: { access_token: 'act.secret' },
					}
				: { clientKey: CLIENT_KEY, clientSecret: SECRET, refreshToken: 'rft.secret' }),
		getRequestObject: () => ({ rawBody: Buffer.from(request.body) }),
		getHeaderData: () =>
			request.signature === undefined ? {} : { 'tiktok-signature': request.signature },
		getResponseObject: () => ({
			status: (status: number) => ({
				json: (body: unknown) => Object.assign(answered, { status, body }),
			}),
		}),
		getWorkflowStaticData: () => staticData,
		getMode: () => 'webhook',
		getWorkflow: () => ({ id: request.workflowId ?? 'wf-1' }),
		getNode: () => ({ name: 'TikTok Trigger' }),
		logger: { warn: (message: string) => logs.push(message) },
	} as unknown as IWebhookFunctions;
	const result = await receiveDelivery.call(ctx);
	return { result, answered, logs, staticData };
}

beforeEach(() => forgetAcceptedDeliveries());

describe('TikTok Trigger webhook handler', () => {
	it('runs the workflow once for a valid delivery and answers 200 at once', async () => {
		const body = envelope();
		const { result, answered } = await deliver({ body, signature: sign(body) });
		expect(answered.status).toBeUndefined();
		expect(result.noWebhookResponse).toBeUndefined();
		expect(result.workflowData?.[0]).toHaveLength(1);
		expect(result.workflowData?.[0][0].json).toMatchObject({
			event: 'post.publish.complete',
			publish_id: 'v_pub_file~v2-1.1',
		});
	});

	it('refuses with 401 a missing, wrong or stale signature, and says why in the log only', async () => {
		const body = envelope();
		const now = Math.floor(Date.now() / 1000);
		for (const signature of [
			undefined,
			sign(body, now, 'wrong-secret'),
			sign(body, now - 301),
			sign(body, now + 301),
		]) {
			const { result, answered, logs } = await deliver({ body, signature });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(answered.status).toBe(401);
			expect(logs).toHaveLength(1);
			expect(logs.join('')).not.toContain(SECRET);
		}
		// A wider tolerance accepts the 301 s old one.
		const { answered } = await deliver({
			body,
			signature: sign(body, now - 301),
			parameters: { options: { toleranceSeconds: 600 } },
		});
		expect(answered.status).toBeUndefined();
	});

	it('refuses with 400 a signed body that is not the envelope or is for another client_key', async () => {
		for (const body of [
			'{"hello":"world"}',
			'plain text',
			envelope().replace(CLIENT_KEY, 'another-app'),
		]) {
			const { result, answered } = await deliver({ body, signature: sign(body) });
			expect(result).toEqual({ noWebhookResponse: true });
			expect(answered.status).toBe(400);
		}
	});

	it('acknowledges unselected events without a run', async () => {
		const body = envelope('post.publish.inbox_delivered');
		const { result, answered } = await deliver({ body, signature: sign(body) });
		expect(answered.status).toBeUndefined();
		expect(result).toEqual({ webhookResponse: { received: true, ignored: 'event not selected' } });
	});

	it('runs a redelivered or replayed event only once, kept in the static data n8n saves', async () => {
		const body = envelope();
		const staticData: IDataObject = {};
		const first = await deliver({ body, signature: sign(body), staticData });
		expect(first.result.workflowData).toBeDefined();
		expect(Object.keys(staticData.deliveries as object)).toHaveLength(1);
		// A redelivery carries a new signature timestamp; a replay the same one.
		for (const signature of [sign(body, Math.floor(Date.now() / 1000) - 5), sign(body)]) {
			const again = await deliver({ body, signature, staticData });
			expect(again.result).toEqual({ webhookResponse: { received: true, duplicate: true } });
		}
		// After a restart (this process's memory gone) the saved static data still knows it.
		forgetAcceptedDeliveries();
		const afterRestart = await deliver({
			body,
			signature: sign(body),
			staticData: structuredClone(staticData),
		});
		expect(afterRestart.result.webhookResponse).toEqual({ received: true, duplicate: true });
		// The same event at another create_time is a new event.
		const later = envelope(undefined, undefined, 1764000060);
		expect(
			(await deliver({ body: later, signature: sign(later), staticData })).result.workflowData,
		).toBeDefined();
	});

	it('catches copies that arrive together, before either save reached the static data', async () => {
		const body = envelope();
		// n8n gives each request its own copy of the stored static data.
		const other = envelope('authorization.removed', '{"reason":1}');
		const [a, b, c] = await Promise.all([
			deliver({ body, signature: sign(body), staticData: {} }),
			deliver({ body, signature: sign(body), staticData: {} }),
			deliver({ body: other, signature: sign(other), staticData: {} }),
		]);
		expect([a, b].filter((delivery) => delivery.result.workflowData).length).toBe(1);
		expect(c.result.workflowData).toBeDefined();
		// The duplicate changes nothing (n8n saves only changed static data); the third event's save,
		// made from a copy loaded before the first was saved, still holds the first one's record.
		expect(b.staticData).toEqual({});
		expect(Object.keys(c.staticData.deliveries as object)).toHaveLength(2);
	});

	it('keeps records apart per workflow and reads the Refresh Token credential too', async () => {
		const body = envelope();
		const one = await deliver({ body, signature: sign(body), workflowId: 'wf-1' });
		const two = await deliver({
			body,
			signature: sign(body),
			workflowId: 'wf-2',
			parameters: { authentication: 'refreshToken' },
		});
		expect(one.result.workflowData).toBeDefined();
		expect(two.result.workflowData).toBeDefined();
	});

	it('never puts the credential’s secrets or tokens into the output', async () => {
		const body = envelope('authorization.removed', '{"reason":1}');
		const { result } = await deliver({ body, signature: sign(body) });
		const text = JSON.stringify(result);
		for (const secret of [SECRET, 'act.secret', 'rft.secret']) expect(text).not.toContain(secret);
	});
});

describe('the trigger’s step in the execution it started', () => {
	function executeWith(
		items: Array<{ json: IDataObject }>,
		staticData: IDataObject,
		workflowId = 'wf-1',
	) {
		const ctx = {
			getInputData: () => items,
			getWorkflowStaticData: () => staticData,
			getMode: () => 'webhook',
			getWorkflow: () => ({ id: workflowId }),
			getNode: () => ({ name: 'TikTok Trigger' }),
		} as unknown as IExecuteFunctions;
		return recordRun.call(ctx);
	}

	it('passes the item on, paired, and stores the same key the webhook accepted (also in a fresh process)', async () => {
		const body = envelope(
			'post.publish.publicly_available',
			'{"publish_id":"p","post_id":7345678901234567891,"publish_type":"DIRECT_POST"}',
		);
		const accepted: IDataObject = {};
		const parameters = { events: ['post.publish.publicly_available'] };
		const { result } = await deliver({
			body,
			signature: sign(body),
			staticData: accepted,
			workflowId: 'wf-exec',
			parameters,
		});
		const items = result.workflowData?.[0] ?? [];
		expect(items).toHaveLength(1);
		// n8n passes execution data around as JSON (queue mode, saved executions): the key must survive that.
		const roundTripped = JSON.parse(JSON.stringify(items)) as Array<{ json: IDataObject }>;
		forgetAcceptedDeliveries(); // a worker process knows nothing of what the webhook process accepted
		const executionStaticData: IDataObject = {};
		const output = await executeWith(roundTripped, executionStaticData, 'wf-exec');
		expect(output).toEqual([[{ json: roundTripped[0].json, pairedItem: { item: 0 } }]]);
		expect(Object.keys(executionStaticData.deliveries as object)).toEqual(
			Object.keys(accepted.deliveries as object),
		);
		// And what it stored refuses the redelivery.
		const again = await deliver({
			body,
			signature: sign(body),
			staticData: executionStaticData,
			workflowId: 'wf-exec',
			parameters,
		});
		expect(again.result.webhookResponse).toEqual({ received: true, duplicate: true });
	});

	it('leaves items it did not make alone', async () => {
		const staticData: IDataObject = {};
		const output = await executeWith([{ json: { hello: 'pinned' } }], staticData);
		expect(output).toEqual([[{ json: { hello: 'pinned' }, pairedItem: { item: 0 } }]]);
		expect(staticData).toEqual({});
	});
});

describe('delivery records', () => {
	it('are pruned after 72 hours and bounded in count, newest kept', () => {
		const now = 10_000_000;
		const records: Record<string, number> = {
			old: now - DEDUP_WINDOW_SECONDS - 1,
			edge: now - DEDUP_WINDOW_SECONDS,
		};
		for (let i = 0; i < MAX_REMEMBERED_DELIVERIES + 10; i++) records[`k${i}`] = now - 1000 + i;
		const pruned = pruneRecords(records, now);
		expect(Object.keys(pruned)).toHaveLength(MAX_REMEMBERED_DELIVERIES);
		expect(pruned).not.toHaveProperty('old');
		expect(pruned).not.toHaveProperty('edge');
		expect(pruned).toHaveProperty(`k${MAX_REMEMBERED_DELIVERIES + 9}`);
		expect(pruned).not.toHaveProperty('k0');
	});

	it('forget an event after the window, so TikTok could deliver it again only then', () => {
		const staticData: IDataObject = {};
		expect(acceptOnce(staticData, 's', 'key', 1000)).toBe(true);
		expect(acceptOnce(staticData, 's', 'key', 1000 + DEDUP_WINDOW_SECONDS)).toBe(false);
		expect(acceptOnce(staticData, 's', 'key', 1001 + DEDUP_WINDOW_SECONDS)).toBe(true);
	});
});

describe('TikTok Trigger description', () => {
	it('is a POST webhook trigger answering at once, with the TikTok node’s two credentials', () => {
		const { description } = new TikTokTrigger();
		expect(description.group).toEqual(['trigger']);
		expect(description.inputs).toEqual([]);
		expect(description.usableAsTool).toBeUndefined();
		expect(description.webhooks).toEqual([
			{
				name: 'default',
				httpMethod: 'POST',
				responseMode: 'onReceived',
				responseData: 'noData',
				path: 'webhook',
			},
		]);
		expect(description.credentials?.map((credential) => credential.name)).toEqual([
			'tikTokOAuth2Api',
			'tikTokRefreshTokenApi',
		]);
		const notice =
			description.properties.find((property) => property.type === 'notice')?.displayName ?? '';
		expect(notice).toMatch(/one callback URL per app/);
		expect(notice).toMatch(/Production URL/);
		expect(notice).toMatch(/Test URL/);
		expect(notice).toMatch(/Switch/);
	});
});
