import type { INodeProperties } from 'n8n-workflow';

import type { ParameterReader } from './parameterReader';

type Show = NonNullable<NonNullable<INodeProperties['displayOptions']>['show']>;

/** Privacy, interactions, commercial disclosure and AI label: shared by video and photo direct posts. */
export function directPostFields(show: Show, options: { duetAndStitch: boolean }): INodeProperties[] {
	const displayOptions = { show };
	const commercial = { show: { ...show, commercialContent: [true] } };
	const fields: INodeProperties[] = [
		{
			displayName: 'Privacy Level Name or ID',
			name: 'privacyLevel',
			type: 'options',
			required: true,
			// TikTok's guidelines: no preset privacy. The list is the creator's live options.
			default: '',
			// Reloaded when Authentication changes; n8n's editor reloads it itself when the credential changes.
			typeOptions: { loadOptionsMethod: 'getPrivacyLevels', loadOptionsDependsOn: ['authentication'] },
			description:
				'Who can watch the post, from the connected creator\'s live TikTok options (PUBLIC_TO_EVERYONE, MUTUAL_FOLLOW_FRIENDS, FOLLOWER_OF_CREATOR, SELF_ONLY). Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			displayOptions,
		},
		{
			displayName: 'Allow Comments',
			name: 'allowComments',
			type: 'boolean',
			default: false,
			description: 'Whether viewers may comment. Off by default, as TikTok requires; unavailable when the creator turned comments off.',
			displayOptions,
		},
	];
	if (options.duetAndStitch) {
		fields.push(
			{
				displayName: 'Allow Duet',
				name: 'allowDuet',
				type: 'boolean',
				default: false,
				description: 'Whether others may Duet with this video. Private accounts cannot allow it.',
				displayOptions,
			},
			{
				displayName: 'Allow Stitch',
				name: 'allowStitch',
				type: 'boolean',
				default: false,
				description: 'Whether others may Stitch this video. Private accounts cannot allow it.',
				displayOptions,
			},
		);
	}
	fields.push(
		{
			displayName: 'Disclose Commercial Content',
			name: 'commercialContent',
			type: 'boolean',
			default: false,
			description: 'Whether the post promotes a brand, product or service (yours or a third party\'s)',
			displayOptions,
		},
		{
			displayName: 'Your Brand',
			name: 'yourBrand',
			type: 'boolean',
			default: false,
			description:
				'Whether the post promotes your own business. TikTok labels it "Promotional content". By posting you agree to TikTok\'s Music Usage Confirmation.',
			displayOptions: commercial,
		},
		{
			displayName: 'Branded Content',
			name: 'brandedContent',
			type: 'boolean',
			default: false,
			description:
				'Whether the post is a paid partnership promoting a third party. TikTok labels it "Paid partnership"; it cannot be private ("Only me"). By posting you agree to TikTok\'s Branded Content Policy and Music Usage Confirmation.',
			displayOptions: commercial,
		},
		{
			displayName: 'AI-Generated Content',
			name: 'isAigc',
			type: 'boolean',
			default: false,
			description: 'Whether to label the post as AI-generated ("Creator labeled as AI-generated")',
			displayOptions,
		},
	);
	fields.push(
		{
			// TikTok's content sharing guidelines: this declaration must be shown before posting.
			displayName: `By posting, you agree to TikTok's <a href="${MUSIC_USAGE_URL}" target="_blank">Music Usage Confirmation</a>. TikTok takes a few minutes to process a post. Until your app passes TikTok's Content Posting audit, direct posts are visible only to the creator (Only me) and the account must be private.`,
			name: 'directPostNotice',
			type: 'notice',
			default: '',
			displayOptions: { show: { ...show, commercialContent: [false] } },
		},
		{
			displayName: `By posting, you agree to TikTok's <a href="${MUSIC_USAGE_URL}" target="_blank">Music Usage Confirmation</a>. With "Your Brand" the post is labelled "Promotional content"; with "Branded Content" it is labelled "Paid partnership", you also agree to TikTok's <a href="${BRANDED_CONTENT_POLICY_URL}" target="_blank">Branded Content Policy</a>, and it cannot be private.`,
			name: 'commercialContentNotice',
			type: 'notice',
			default: '',
			displayOptions: commercial,
		},
	);
	return fields;
}

const MUSIC_USAGE_URL = 'https://www.tiktok.com/legal/page/global/music-usage-confirmation/en';
const BRANDED_CONTENT_POLICY_URL = 'https://www.tiktok.com/legal/page/global/bc-policy/en';

/** Drafts are finished by the creator in TikTok: say so where the draft mode is chosen. */
export function draftNotice(show: Show): INodeProperties {
	return {
		displayName:
			'Drafts go to the creator\'s TikTok inbox: the creator opens TikTok\'s notification to edit and post them (TikTok keeps at most 5 waiting per 24 hours). The node\'s result is SEND_TO_USER_INBOX, not a published post.',
		name: 'draftNotice',
		type: 'notice',
		default: '',
		displayOptions: { show },
	};
}

export function waitFields(show: Show): INodeProperties[] {
	return [
		{
			displayName: 'Wait for Completion',
			name: 'waitForCompletion',
			type: 'boolean',
			default: false,
			description:
				'Whether to keep checking TikTok until the post is published, sent to the inbox, or failed. Off: return right away with the publish_id (use Get Status later).',
			displayOptions: { show },
		},
	];
}

export const waitOptionFields: INodeProperties[] = [
	{
		displayName: 'Wait Timeout (Minutes)',
		name: 'waitTimeoutMinutes',
		type: 'number',
		default: 10,
		typeOptions: { minValue: 0, maxValue: 1440 },
		description: 'How long Wait for Completion keeps checking before it gives up (the post may still appear later)',
	},
	{
		displayName: 'Poll Interval (Seconds)',
		name: 'pollIntervalSeconds',
		type: 'number',
		default: 5,
		typeOptions: { minValue: 2, maxValue: 3600 },
		description:
			'Time between status checks while waiting. TikTok allows 30 checks a minute per account, shared by every item and execution using the credential.',
	},
];

/** What "Wait for Completion" asks for, in seconds; undefined when it is off. */
export interface WaitRequest {
	timeoutSeconds: number;
	pollIntervalSeconds: number;
}

export function readWaitRequest(reader: ParameterReader): WaitRequest | undefined {
	if (!reader.boolean('waitForCompletion')) return undefined;
	return {
		timeoutSeconds: reader.number('options.waitTimeoutMinutes', { unit: 'minutes' }) * 60,
		pollIntervalSeconds: reader.number('options.pollIntervalSeconds', { unit: 'seconds' }),
	};
}
