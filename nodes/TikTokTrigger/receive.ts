import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { credentialTypeFor } from '../TikTok/transport/credentials';
import { acceptOnce, deliveryKey, triggerScope } from './dedupe';
import { DEFAULT_TOLERANCE_SECONDS } from './description';
import { eventItem, parseEnvelope } from './events';
import { SIGNATURE_PROBLEMS, verifySignature } from './signature';

interface AppSecrets {
	clientKey: string;
	clientSecret: string;
}

/** Both credential types carry the app's key (named clientId where n8n's OAuth2 wants it) and secret. */
async function appSecrets(ctx: IWebhookFunctions): Promise<AppSecrets> {
	const credentialType = credentialTypeFor(ctx.getNodeParameter('authentication', 'oAuth2'));
	const data = await ctx.getCredentials(credentialType);
	const clientKey = credentialType === 'tikTokOAuth2Api' ? data.clientId : data.clientKey;
	return {
		clientKey: typeof clientKey === 'string' ? clientKey.trim() : '',
		clientSecret: typeof data.clientSecret === 'string' ? data.clientSecret : '',
	};
}

/** The body exactly as it arrived: n8n keeps it beside the parsed JSON for signature checks. */
function rawBodyOf(ctx: IWebhookFunctions): Buffer {
	const raw: unknown = (ctx.getRequestObject() as { rawBody?: unknown }).rawBody;
	if (Buffer.isBuffer(raw)) return raw;
	return typeof raw === 'string' ? Buffer.from(raw, 'utf8') : Buffer.alloc(0);
}

/** Answers at once and starts nothing; TikTok retries non-2xx answers. */
function refuse(ctx: IWebhookFunctions, status: 401 | 400, reason: string): IWebhookResponseData {
	ctx.logger.warn(`TikTok Trigger "${ctx.getNode().name}" refused a delivery (${status}): ${reason}`, {
		workflowId: ctx.getWorkflow().id,
	});
	const response = ctx.getResponseObject() as { status(code: number): { json(body: unknown): void } };
	response.status(status).json({ error: status === 401 ? 'unauthorized' : 'bad_request', message: reason });
	return { noWebhookResponse: true };
}

export async function receiveDelivery(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const nowSeconds = Math.floor(Date.now() / 1000);
	const options = this.getNodeParameter('options', {}) as IDataObject;
	const tolerance = Number(options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS);
	const app = await appSecrets(this);
	const rawBody = rawBodyOf(this);
	const verdict = verifySignature({
		header: this.getHeaderData()['tiktok-signature'],
		rawBody,
		secret: app.clientSecret,
		nowSeconds,
		toleranceSeconds: Number.isFinite(tolerance) && tolerance > 0 ? tolerance : DEFAULT_TOLERANCE_SECONDS,
	});
	if (!verdict.valid) return refuse(this, 401, SIGNATURE_PROBLEMS[verdict.reason]);

	const parsed = parseEnvelope(rawBody.toString('utf8'));
	if (!parsed.ok) return refuse(this, 400, `Not a TikTok webhook envelope: ${parsed.problem}`);
	const { envelope, content } = parsed;
	// Signed with our secret yet for another app: a misconfigured credential, never run on it.
	if (envelope.client_key !== app.clientKey) {
		return refuse(this, 400, "client_key is not the credential's Client Key");
	}

	const events = this.getNodeParameter('events', []) as string[];
	if (!events.includes(envelope.event)) {
		return { webhookResponse: { received: true, ignored: 'event not selected' } };
	}
	const key = deliveryKey({ ...envelope, content });
	if (!acceptOnce(this.getWorkflowStaticData('node'), triggerScope(this), key, nowSeconds)) {
		return { webhookResponse: { received: true, duplicate: true } };
	}
	// Answered 200 with an empty body once n8n has started the execution (responseData: 'noData').
	return { workflowData: [[{ json: eventItem(envelope, content) }]] };
}
