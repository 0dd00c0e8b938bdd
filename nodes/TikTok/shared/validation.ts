import { InputError } from './inputError';
import { describeValue } from './parameters';
import { utf16Length } from './utf16';

export const PRIVACY_LEVELS = [
	'PUBLIC_TO_EVERYONE',
	'MUTUAL_FOLLOW_FRIENDS',
	'FOLLOWER_OF_CREATOR',
	'SELF_ONLY',
] as const;
export type PrivacyLevel = (typeof PRIVACY_LEVELS)[number];

export const PRIVACY_LEVEL_LABELS: Record<PrivacyLevel, string> = {
	PUBLIC_TO_EVERYONE: 'Everyone',
	MUTUAL_FOLLOW_FRIENDS: 'Friends (mutual followers)',
	FOLLOWER_OF_CREATOR: 'Followers',
	SELF_ONLY: 'Only me',
};

export const VIDEO_TITLE_MAX = 2200;
export const PHOTO_TITLE_MAX = 90;
export const PHOTO_DESCRIPTION_MAX = 4000;
export const MAX_PHOTOS = 35;

/** `data` of /v2/post/publish/creator_info/query/. */
export interface CreatorInfo {
	creator_avatar_url?: string;
	creator_username?: string;
	creator_nickname?: string;
	privacy_level_options: string[];
	comment_disabled?: boolean;
	duet_disabled?: boolean;
	stitch_disabled?: boolean;
	max_video_post_duration_sec?: number;
}

function describeOptions(options: readonly string[]): string {
	return options
		.map((option) => {
			const label = (PRIVACY_LEVEL_LABELS as Record<string, string>)[option];
			return label ? `${option} (${label})` : option;
		})
		.join(', ');
}

export function assertTextWithinLimit(text: string, max: number, fieldLabel: string): void {
	const length = utf16Length(text);
	if (length <= max) return;
	throw new InputError(
		`${fieldLabel} is ${length} characters long, but TikTok allows at most ${max}`,
		`Shorten the ${fieldLabel.toLowerCase()} by at least ${length - max} characters. ` +
			'TikTok counts UTF-16 code units, so most emoji count as 2 characters and flags as 4.',
	);
}

export function assertPrivacyLevel(value: unknown): PrivacyLevel {
	const text = typeof value === 'string' ? value.trim() : value;
	if (text === undefined || text === null || text === '') {
		throw new InputError(
			'Privacy level is required for direct posts',
			`Choose who can see the post; TikTok requires an explicit choice and offers no default. Valid values: ${describeOptions(PRIVACY_LEVELS)}.`,
		);
	}
	const normalized = typeof text === 'string' ? text.toUpperCase() : text;
	if (typeof normalized === 'string' && (PRIVACY_LEVELS as readonly string[]).includes(normalized)) {
		return normalized as PrivacyLevel;
	}
	throw new InputError(
		`Privacy level ${describeValue(value)} is not valid`,
		`Use one of: ${describeOptions(PRIVACY_LEVELS)}. The Creator Info operation lists the ones this account can use.`,
	);
}

export function assertPrivacyAllowedForCreator(privacy: PrivacyLevel, creator: CreatorInfo): void {
	const options = Array.isArray(creator.privacy_level_options) ? creator.privacy_level_options : [];
	if (options.includes(privacy)) return;
	const account = creator.creator_username ? ` @${creator.creator_username}` : '';
	throw new InputError(
		`Privacy level ${privacy} is not available for the TikTok account${account}`,
		(options.length > 0
			? `This account can use: ${describeOptions(options)}. `
			: 'TikTok listed no privacy options for this account. ') +
			'Public accounts offer Everyone/Friends/Only me, private accounts Followers/Friends/Only me. ' +
			'Apps that have not passed TikTok\'s Content Posting audit can only post as "Only me" (SELF_ONLY) to private accounts.',
	);
}

export interface BrandedContentOptions {
	/** "Branded content": a paid partnership promoting a third party (brand_content_toggle). */
	brandedContent: boolean;
	/** "Your brand": promoting the creator's own business (brand_organic_toggle). */
	yourBrand: boolean;
	privacy?: PrivacyLevel;
	/** The "Disclose commercial content" switch, when the UI has one: on requires a choice. */
	commercialContent?: boolean;
}

export function assertBrandedContentRules(options: BrandedContentOptions): void {
	if (options.commercialContent === true && !options.brandedContent && !options.yourBrand) {
		throw new InputError(
			'Commercial content is switched on, but neither "Your brand" nor "Branded content" is selected',
			'You need to indicate if your content promotes yourself ("Your brand"), a third party ("Branded content"), or both; or switch commercial content off.',
		);
	}
	if (options.brandedContent && options.privacy === 'SELF_ONLY') {
		throw new InputError(
			'Branded content visibility cannot be set to private ("Only me")',
			'Choose a privacy level visible to others (Everyone, Friends or Followers) or turn off "Branded content".',
		);
	}
}

export interface InteractionOptions {
	allowComments?: boolean;
	allowDuet?: boolean;
	allowStitch?: boolean;
}

export function assertInteractionsAllowed(options: InteractionOptions, creator: CreatorInfo): void {
	// What the creator turned off, and the node field (by its display name) that asks for it.
	const blocked: Array<{ what: string; field: string }> = [];
	if (options.allowComments === true && creator.comment_disabled === true) blocked.push({ what: 'comments', field: 'Allow Comments' });
	if (options.allowDuet === true && creator.duet_disabled === true) blocked.push({ what: 'duets', field: 'Allow Duet' });
	if (options.allowStitch === true && creator.stitch_disabled === true) blocked.push({ what: 'stitches', field: 'Allow Stitch' });
	if (blocked.length === 0) return;
	const list = blocked.map((entry) => entry.what).join(' and ');
	throw new InputError(
		`The TikTok account has turned off ${list}, so the post cannot allow ${blocked.length > 1 ? 'them' : 'it'}`,
		`Switch off ${blocked.map((entry) => `"${entry.field}"`).join(' and ')} in the node, ` +
			'or change the setting in the TikTok app (private accounts always have duets and stitches off).',
	);
}

export function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

function parseJson(text: string): { value: unknown } | undefined {
	try {
		return { value: JSON.parse(text) as unknown };
	} catch {
		return undefined;
	}
}

/** Never echo a password from "https://user:password@host" back into an error message. */
function withoutUserInfo(text: string): string {
	return text.replace(/\/\/[^/@\s]*@/, '//…@');
}

/** An IPv4 or IPv6 literal (TikTok pulls only from domain names). */
function isIpAddress(hostname: string): boolean {
	return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.startsWith('[') || hostname.includes(':');
}

/**
 * A URL TikTok will download itself (PULL_FROM_URL): https on a domain name, as TikTok requires
 * (reference §11). Anything else would only fail later, inside TikTok, after a post was created.
 */
export function assertMediaUrl(url: unknown, fieldLabel: string): string {
	const urlHint =
		'Use the full public link starting with https://. TikTok downloads it itself, so it must be https on a domain ' +
		'(not an IP address), must not redirect, and must be on a domain or URL prefix verified for your app in the ' +
		'TikTok developer portal.';
	if (url !== undefined && url !== null && typeof url !== 'string') {
		throw new InputError(`${fieldLabel} must be text, but the value is ${describeValue(url)}`, urlHint);
	}
	const text = typeof url === 'string' ? url.trim() : '';
	if (text === '') throw new InputError(`${fieldLabel} is empty`, urlHint);
	const parsed = parseUrl(text);
	if (parsed === undefined) {
		throw new InputError(`${fieldLabel} ${describeValue(withoutUserInfo(text))} is not a valid absolute URL`, urlHint);
	}
	if (parsed.protocol !== 'https:') {
		throw new InputError(
			`${fieldLabel} uses "${parsed.protocol.replace(/:$/, '')}", but TikTok only downloads https links`,
			urlHint,
		);
	}
	if (parsed.hostname === '') {
		throw new InputError(`${fieldLabel} ${describeValue(withoutUserInfo(text))} has no host`, urlHint);
	}
	if (parsed.username !== '' || parsed.password !== '') {
		throw new InputError(
			`${fieldLabel} contains a user name or password`,
			'Remove the credentials from the link (TikTok must be able to download it publicly, and they would be sent to TikTok).',
		);
	}
	if (isIpAddress(parsed.hostname)) {
		throw new InputError(
			`${fieldLabel} points at the IP address ${parsed.hostname}, but TikTok only downloads from domain names`,
			urlHint,
		);
	}
	return text;
}

function splitUrlList(text: string): string[] {
	const trimmed = text.trim();
	if (trimmed.startsWith('[')) {
		const parsed = parseJson(trimmed);
		if (parsed === undefined) {
			throw new InputError(
				'The photo URL list looks like JSON but is not valid JSON',
				'Give an expression that returns an array, a JSON array of strings, or one URL per line.',
			);
		}
		return flattenUrlInput(parsed.value);
	}
	// Split on newlines, and on commas only where the next URL starts: URLs themselves may
	// contain commas (e.g. image-CDN transformation parameters).
	return trimmed.split(/\r?\n|,\s*(?=https?:\/\/)/i);
}

function flattenUrlInput(input: unknown): string[] {
	if (input === undefined || input === null) return [];
	if (typeof input === 'string') return splitUrlList(input);
	if (Array.isArray(input)) return input.flatMap((item) => flattenUrlInput(item));
	if (typeof input === 'object' && typeof (input as { url?: unknown }).url === 'string') {
		return [(input as { url: string }).url];
	}
	throw new InputError(
		`The photo URL list contains ${describeValue(input)}, which is not a URL`,
		'Give an expression that returns an array of URL strings, a JSON array of strings, or one URL per line.',
	);
}

/** Accepts an array (from an expression), a JSON array string, or a newline/comma separated string. */
export function normalizePhotoUrls(input: unknown): string[] {
	const urls = flattenUrlInput(input)
		.map((url) => url.trim().replace(/,+$/, '').trim()) // a trailing separator comma
		.filter((url) => url !== '');
	if (urls.length === 0) {
		throw new InputError(
			'At least one photo URL is required',
			`Give 1 to ${MAX_PHOTOS} public image URLs (JPEG or WebP), as a list or an expression returning an array.`,
		);
	}
	if (urls.length > MAX_PHOTOS) {
		throw new InputError(
			`${urls.length} photo URLs were given, but TikTok allows at most ${MAX_PHOTOS} per post`,
			`Remove ${urls.length - MAX_PHOTOS} of them or split them into several posts.`,
		);
	}
	return urls.map((url, index) => assertMediaUrl(url, `Photo URL ${index + 1}`));
}

/** Empty means the first photo (0), the usual choice; anything else must be a whole index into the list. */
export function assertCoverIndex(index: unknown, photoCount: number): number {
	if (index === undefined || index === null || (typeof index === 'string' && index.trim() === '')) return 0;
	const value = typeof index === 'string' ? Number(index.trim()) : index;
	if (typeof value === 'number' && Number.isInteger(value) && value >= 0 && value < photoCount) return value;
	throw new InputError(
		`Cover index ${describeValue(index)} does not point at one of the ${photoCount} photos`,
		`Use a whole number from 0 (first photo) to ${photoCount - 1} (last photo); the index is 0-based.`,
	);
}

function formatDuration(seconds: number): string {
	const rounded = Math.round(seconds * 10) / 10;
	if (rounded < 60) return `${rounded} s`;
	const minutes = Math.floor(rounded / 60);
	const rest = Math.round((rounded - minutes * 60) * 10) / 10;
	return `${minutes} min ${rest} s`;
}

/** `durationSec` undefined means the container did not reveal it: TikTok will check it instead. */
export function assertVideoDuration(durationSec: number | undefined, creator: CreatorInfo): void {
	const max = creator.max_video_post_duration_sec;
	if (durationSec === undefined || !Number.isFinite(durationSec)) return;
	if (typeof max !== 'number' || !Number.isFinite(max) || max <= 0) return;
	if (durationSec <= max) return;
	const account = creator.creator_username ? `@${creator.creator_username}` : 'this account';
	throw new InputError(
		`The video is ${formatDuration(durationSec)} long, but ${account} can post videos of at most ${formatDuration(max)}`,
		`Trim the video to ${max} seconds or less before posting.`,
	);
}

/** Empty file or over 4 GB (shared with the chunk planner). */
export { assertVideoSize } from './chunkPlan';
