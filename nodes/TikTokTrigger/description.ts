import type { INodeProperties } from 'n8n-workflow';

import { ALL_EVENTS, TIKTOK_EVENTS } from './events';

export const DEFAULT_TOLERANCE_SECONDS = 300;

// TikTok has no API to register a webhook: the URL is pasted into the developer portal by hand.
const SETUP_NOTICE =
	'TikTok sends its events to <b>one callback URL per app</b>, set by hand: in the TikTok developer portal, open your app, ' +
	'go to <b>Development configuration → Webhooks</b> (Callback URL), paste this node\'s <b>Production URL</b> (under Webhook URLs above) ' +
	'and save; then publish this workflow. The Test URL only receives events while this node is listening in the editor. ' +
	'To handle one app\'s events in several workflows, keep this one trigger and fan out from it ' +
	'(a Switch on <code>event</code>, or Execute Workflow).';

export const triggerProperties: INodeProperties[] = [
	{
		displayName: SETUP_NOTICE,
		name: 'setupNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'OAuth2 (Connect Button)', value: 'oAuth2' },
			{ name: 'Refresh Token', value: 'refreshToken' },
		],
		default: 'oAuth2',
		description:
			"The credential holding your app's Client Key and Client Secret: TikTok signs its webhooks with the secret. No access token is used.",
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		options: TIKTOK_EVENTS,
		default: [...ALL_EVENTS],
		required: true,
		description:
			'The events that start the workflow. Other events are acknowledged to TikTok and ignored.',
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			{
				displayName: 'Timestamp Tolerance (Seconds)',
				name: 'toleranceSeconds',
				type: 'number',
				typeOptions: { minValue: 1 },
				default: DEFAULT_TOLERANCE_SECONDS,
				description:
					"How far a delivery's signed timestamp may be from n8n's clock. Older or later deliveries are refused with 401 (TikTok retries them).",
			},
		],
	},
];
