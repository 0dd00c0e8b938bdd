/**
 * TikTok's `publicaly_available_post_id` as exact decimal strings. Safe-integer numbers are
 * converted; digit strings (from parseJsonLossless) are kept. A number beyond 2^53 has already
 * been rounded by JSON.parse, so it is rejected rather than turned into a wrong id.
 */
export function postIdsToStrings(ids: unknown): string[] {
	if (ids === undefined || ids === null) return [];
	const list = Array.isArray(ids) ? ids : [ids];
	return list.map((id) => {
		if (typeof id === 'string' && /^\d+$/.test(id.trim())) return id.trim();
		if (typeof id === 'bigint' && id >= BigInt(0)) return id.toString();
		if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) return String(id);
		if (typeof id === 'number' && Number.isInteger(id)) {
			throw new RangeError(
				`Post id ${id} lost precision when the response was parsed; parse TikTok responses with parseJsonLossless`,
			);
		}
		throw new TypeError(`Unexpected post id ${JSON.stringify(id) ?? String(id)} from TikTok`);
	});
}

/**
 * The public URL of a post. Without a username (the credential may lack user.info.profile),
 * the widely used `https://www.tiktok.com/@/video/{id}` form: TikTok resolves the video by its
 * id and redirects to the creator's canonical URL; the same form works with TikTok's oEmbed.
 */
export function tiktokPostUrl(username: string | undefined, postId: string): string {
	const handle = (username ?? '').trim().replace(/^@/, '');
	return `https://www.tiktok.com/@${encodeURIComponent(handle)}/video/${encodeURIComponent(postId.trim())}`;
}
