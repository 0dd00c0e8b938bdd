import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { triggerProperties } from './description';
import { receiveDelivery } from './receive';
import { recordRun } from './recordRun';

export class TikTokTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikTok Trigger',
		name: 'tikTokTrigger',
		icon: { light: 'file:../../icons/tiktok-trigger.svg', dark: 'file:../../icons/tiktok-trigger.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ ($parameter["events"] || []).length + " of 6 events" }}',
		description: 'Starts the workflow when TikTok reports on a post or an authorization (Content Posting webhooks)',
		documentationUrl: 'https://github.com/n8n-nodes-tiktok-posting/n8n-nodes-tiktok-posting#tiktok-trigger',
		defaults: { name: 'TikTok Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{ name: 'tikTokOAuth2Api', required: true, displayOptions: { show: { authentication: ['oAuth2'] } } },
			{ name: 'tikTokRefreshTokenApi', required: true, displayOptions: { show: { authentication: ['refreshToken'] } } },
		],
		// TikTok wants a 2xx at once; the body does not matter (without 'noData' n8n would send the
		// literal text "firstEntryJson").
		webhooks: [{ name: 'default', httpMethod: 'POST', responseMode: 'onReceived', responseData: 'noData', path: 'webhook' }],
		eventTriggerDescription: 'Waiting for TikTok to send an event to the Test URL',
		activationMessage:
			"TikTok sends events only to the callback URL set in your app's developer portal: make sure it is this node's Production URL.",
		properties: triggerProperties,
	};

	// TikTok has no API to register, check or remove a callback URL (it is set by hand in the
	// developer portal), so there is nothing to do at TikTok: activation only opens n8n's endpoint.
	webhookMethods = {
		default: {
			async checkExists(): Promise<boolean> {
				return false;
			},
			async create(): Promise<boolean> {
				return true;
			},
			async delete(): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await receiveDelivery.call(this);
	}

	// n8n runs this with the webhook's item when the execution starts (a node with execute() is
	// executed rather than passed through): the moment to store the delivery where n8n saves it.
	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await recordRun.call(this);
	}
}
