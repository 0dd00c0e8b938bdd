// GET /v2/user/info/?fields=... (reference §15.3, §16): each field needs its scope; stats fields
// read as zero without user.info.stats (field report), other fields give scope_not_authorized.
import { authenticate, withinRateLimit } from './auth';
import { sendApiError, sendData, type RequestContext } from './http';

const FIELD_SCOPES: Record<string, string> = {
	open_id: 'user.info.basic',
	union_id: 'user.info.basic',
	avatar_url: 'user.info.basic',
	avatar_url_100: 'user.info.basic',
	avatar_large_url: 'user.info.basic',
	display_name: 'user.info.basic',
	bio_description: 'user.info.profile',
	profile_deep_link: 'user.info.profile',
	profile_web_link: 'user.info.profile',
	is_verified: 'user.info.profile',
	username: 'user.info.profile',
	follower_count: 'user.info.stats',
	following_count: 'user.info.stats',
	likes_count: 'user.info.stats',
	video_count: 'user.info.stats',
};

export function userInfo(ctx: RequestContext): void {
	const token = authenticate(ctx);
	if (!token || !withinRateLimit(ctx, token, 'userInfo')) return;
	const fields = (ctx.url.searchParams.get('fields') ?? '')
		.split(',')
		.map((f) => f.trim())
		.filter(Boolean);
	if (!fields.length)
		return sendApiError(ctx, 400, 'invalid_params', 'The fields parameter is required');
	const unknown = fields.find((field) => !(field in FIELD_SCOPES));
	if (unknown) return sendApiError(ctx, 400, 'invalid_params', `Invalid field: ${unknown}`);
	const scopes = token.grant.scopes;
	const missing = fields.find(
		(f) => FIELD_SCOPES[f] !== 'user.info.stats' && !scopes.includes(FIELD_SCOPES[f]),
	);
	if (missing) {
		return sendApiError(
			ctx,
			401,
			'scope_not_authorized',
			`The user did not authorize the scope required for the field ${missing} (${FIELD_SCOPES[missing]}).`,
		);
	}
	const creator = ctx.emulator.config.creator;
	const hasStats = scopes.includes('user.info.stats');
	const values: Record<string, unknown> = {
		open_id: token.grant.openId,
		union_id: creator.unionId,
		avatar_url: creator.avatarUrl,
		avatar_url_100: creator.avatarUrl,
		avatar_large_url: creator.avatarUrl,
		display_name: creator.nickname,
		bio_description: creator.bioDescription,
		profile_deep_link: `https://vm.tiktok.com/emulator/${creator.username}`,
		profile_web_link: `https://www.tiktok.com/@${creator.username}`,
		is_verified: creator.isVerified,
		username: creator.username,
		follower_count: hasStats ? creator.followerCount : 0,
		following_count: hasStats ? creator.followingCount : 0,
		likes_count: hasStats ? creator.likesCount : 0,
		video_count: hasStats ? creator.videoCount : 0,
	};
	const user: Record<string, unknown> = {};
	for (const field of fields) user[field] = values[field];
	sendData(ctx, { user });
}
