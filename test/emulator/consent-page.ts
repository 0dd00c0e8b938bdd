// HTML of the authorize step: TikTok's consent page (app name, requested scopes, Approve/Deny,
// one checkbox per scope so a user may grant a subset) and its error page (reference §15.1).

const SCOPE_TEXT: Record<string, string> = {
	'user.info.basic': 'Read your profile info (avatar, display name)',
	'user.info.profile': 'Read your profile details (username, bio, verified status)',
	'user.info.stats': 'Read your statistics (likes, followers, videos)',
	'video.list': 'Read your public videos',
	'video.publish': 'Directly post content to your TikTok profile',
	'video.upload': 'Share content to your account as a draft',
};

function escapeHtml(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function consentPage(appName: string, scopes: string[], requestId: string): string {
	const items = scopes
		.map((scope) => {
			// user.info.basic comes with Login Kit by default; it cannot be unticked.
			const locked = scope === 'user.info.basic' ? ' disabled' : '';
			return `<li><label><input type="checkbox" name="scope" value="${escapeHtml(scope)}" checked${locked}>
<strong>${escapeHtml(scope)}</strong> — ${escapeHtml(SCOPE_TEXT[scope] ?? scope)}</label></li>`;
		})
		.join('\n');
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Authorize ${escapeHtml(appName)} | TikTok (emulator)</title></head>
<body>
<h1>${escapeHtml(appName)} would like to access your TikTok account</h1>
<p>TikTok API emulator: no real account is involved.</p>
<form method="post" action="/v2/auth/authorize/consent">
<input type="hidden" name="request_id" value="${escapeHtml(requestId)}">
<ul id="scopes">
${items}
</ul>
<button type="submit" id="approve" name="decision" value="approve">Authorize</button>
<button type="submit" id="deny" name="decision" value="deny">Cancel</button>
</form>
</body></html>`;
}

export function errorPage(error: string, description: string): string {
	return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Something went wrong | TikTok (emulator)</title></head>
<body>
<h1>Something went wrong</h1>
<p id="error" data-error="${escapeHtml(error)}">${escapeHtml(error)}: ${escapeHtml(description)}</p>
</body></html>`;
}
