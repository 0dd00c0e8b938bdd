// Account- and app-level gates of the init endpoints, checked after the body is valid
// (reference §4.3, §5, §6, §11, §12). Each sends the error and returns false when it blocks.
import { sendApiError, sendPolicyError, type RequestContext } from './http';
import type { Flow } from './posts';

/** TikTok answers almost every publish refusal with this generic message ([BR-CLIENT], §2). */
export const GUIDELINES_MESSAGE =
	'Please review our integration guidelines at https://developers.tiktok.com/doc/content-sharing-guidelines';

export interface PostRequest {
	openId: string;
	flow: Flow;
	/** The privacy_level sent (direct posts), or undefined if missing. */
	privacyLevel?: unknown;
	/** PULL_FROM_URL media URLs. */
	urls: string[];
}

export function passesPolicy(ctx: RequestContext, request: PostRequest): boolean {
	const { config, posts, clock } = ctx.emulator;
	const now = clock.now();
	if (config.bannedFromPosting) {
		sendPolicyError(ctx, 'spam_risk_user_banned_from_posting', GUIDELINES_MESSAGE);
		return false;
	}
	if (request.flow === 'direct') {
		if (config.activeUserCapReached) {
			sendPolicyError(ctx, 'reached_active_user_cap', GUIDELINES_MESSAGE);
			return false;
		}
		// Unaudited: only private accounts, only SELF_ONLY posts (§12; field reports §4.3).
		if (
			!config.audited &&
			(!config.creator.privateAccount || request.privacyLevel !== 'SELF_ONLY')
		) {
			sendApiError(
				ctx,
				403,
				'unaudited_client_can_only_post_to_private_accounts',
				GUIDELINES_MESSAGE,
			);
			return false;
		}
		if (posts.directPostsInLastDay(request.openId, now) >= config.dailyPostCap) {
			sendPolicyError(ctx, 'spam_risk_too_many_posts', GUIDELINES_MESSAGE);
			return false;
		}
		const options = config.creator.privacyLevelOptions;
		if (typeof request.privacyLevel !== 'string' || !options.includes(request.privacyLevel)) {
			sendApiError(ctx, 403, 'privacy_level_option_mismatch', GUIDELINES_MESSAGE);
			return false;
		}
	} else if (posts.pendingDrafts(request.openId, now) >= config.pendingDraftCap) {
		sendPolicyError(ctx, 'spam_risk_too_many_pending_share', GUIDELINES_MESSAGE);
		return false;
	}
	const prefixes = ctx.emulator.verifiedPrefixes();
	if (request.urls.some((url) => !prefixes.some((prefix) => url.startsWith(prefix)))) {
		sendPolicyError(ctx, 'url_ownership_unverified', GUIDELINES_MESSAGE);
		return false;
	}
	return true;
}
