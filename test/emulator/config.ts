// Settings of the emulator: TikTok's documented defaults plus the switches for behaviour the
// docs leave open (see README.md, "Settings"). One object, merged by POST /__emulator/config.

export const ALL_SCOPES = [
	'user.info.basic',
	'user.info.profile',
	'user.info.stats',
	'video.list',
	'video.publish',
	'video.upload',
] as const;

export const PRIVACY_LEVELS = [
	'PUBLIC_TO_EVERYONE',
	'MUTUAL_FOLLOW_FRIENDS',
	'FOLLOWER_OF_CREATOR',
	'SELF_ONLY',
] as const;

/**
 * The emulator's public media host: its generated media are published as
 * `https://media.emulator.test/__emulator/media/<name>` and pulled from its own http port.
 */
export const MEDIA_HOST = 'media.emulator.test';
export const MEDIA_PREFIX = `https://${MEDIA_HOST}/__emulator/media/`;

/**
 * TikTok's token policy presets (reference §15.2). '2026-11' follows "Refresh a User Access
 * Token" (2026-11-02) and "Manage OAuth Access Tokens" (2026-11-05); 'pre-2026-11' is the policy
 * the emulator modelled before them.
 */
export const TOKEN_POLICIES = {
	'2026-11': {
		accessTokenLifetimeSec: 7200,
		refreshTokenLifetimeSec: 15552000,
		refreshRotation: 'rotate-and-revoke-old',
	},
	'pre-2026-11': {
		accessTokenLifetimeSec: 86400,
		refreshTokenLifetimeSec: 31536000,
		refreshRotation: 'rotate',
	},
} as const;

export type TokenPolicy = keyof typeof TOKEN_POLICIES;

export interface AppConfig {
	clientKey: string;
	clientSecret: string;
	name: string;
	/** null: any redirect URI is accepted; a list: exact match required (as TikTok does). */
	redirectUris: string[] | null;
	/** Scopes the app is approved for; requesting others gives invalid_scope. */
	approvedScopes: string[];
}

export interface CreatorConfig {
	openId: string;
	unionId: string;
	nickname: string;
	username: string;
	avatarUrl: string;
	privacyLevelOptions: string[];
	commentDisabled: boolean;
	duetDisabled: boolean;
	stitchDisabled: boolean;
	maxVideoPostDurationSec: number;
	/** A private account: required for posting while the client is unaudited. */
	privateAccount: boolean;
	bioDescription: string;
	isVerified: boolean;
	followerCount: number;
	followingCount: number;
	likesCount: number;
	videoCount: number;
}

export interface StatusTimings {
	/** Time after the upload/download completes until the final status. */
	processingMs: number;
	/** Time after PUBLISH_COMPLETE until a public post gets its post id. */
	moderationMs: number;
}

export interface RateLimitsPerMinute {
	creatorInfo: number;
	videoInit: number;
	inboxInit: number;
	contentInit: number;
	status: number;
	userInfo: number;
	cancel: number;
}

/** Webhook deliveries to the app's callback URL (reference §14; see webhooks.ts). */
export interface WebhookConfig {
	/** The app's callback URL; null: events are not delivered (TikTok without a callback URL). */
	url: string | null;
	/** Redeliveries after a non-2xx answer or none, with backoff retryDelayMs, doubling. */
	retries: number;
	retryDelayMs: number;
	/** Extra copies of every event, sent at the same time (TikTok delivers at least once). */
	duplicateDeliveries: number;
	/** true: sign with a wrong key. */
	badSignature: boolean;
	/** Added to the signature timestamp: -600 delivers a stale signature. */
	timestampSkewSec: number;
}

export interface EmulatorConfig {
	app: AppConfig;
	/** true: GET /v2/auth/authorize/ redirects at once; false: an HTML consent page is shown. */
	autoApprove: boolean;
	/** Forces the user to grant only these scopes (intersected with the requested ones). */
	grantedScopes: string[] | null;
	creator: CreatorConfig;
	audited: boolean;
	clientKeyIn: 'body' | 'body-or-query';
	refreshRotation: 'stable' | 'rotate' | 'rotate-and-revoke-old';
	/**
	 * What presenting a rotated-out refresh token again does (only 'rotate-and-revoke-old' rotates
	 * tokens out): 'reject' answers invalid_grant; 'revoke-grant' also revokes the whole grant
	 * (reuse detection). TikTok does not document which it does (reference §15.2, §18 q8).
	 */
	refreshTokenReuse: 'reject' | 'revoke-grant';
	errorStatus: 'documented' | 200;
	megabyte: 1000000 | 1048576;
	/** null: only the emulator's own media, `https://media.emulator.test/__emulator/media/`. */
	verifiedUrlPrefixes: string[] | null;
	/**
	 * The test world's stand-in for public DNS + TLS: a pull of `https://<host>/path?q` fetches
	 * `<origin>/path?q` over plain http. Origins must be on loopback. null: only
	 * `media.emulator.test` → the emulator itself.
	 */
	pullHosts: Record<string, string> | null;
	timings: StatusTimings;
	/** Each new post takes the first reason (if any) and ends FAILED with it. */
	nextFailReasons: string[];
	rateLimits: boolean;
	rateLimitPerMinute: RateLimitsPerMinute;
	dailyPostCap: number;
	pendingDraftCap: number;
	activeUserCapReached: boolean;
	bannedFromPosting: boolean;
	accessTokenLifetimeSec: number;
	refreshTokenLifetimeSec: number;
	authorizationCodeLifetimeSec: number;
	uploadUrlLifetimeSec: number;
	/** Bound on the request log kept in memory (oldest entries are dropped). */
	requestLogLimit: number;
	/** 'sha256': every uploaded byte is hashed; 'sampled': 4 KiB per MiB (see digest.ts; for the benchmark). */
	uploadDigest: 'sha256' | 'sampled';
	webhook: WebhookConfig;
}

export function defaultConfig(): EmulatorConfig {
	return {
		app: {
			clientKey: 'emulator-client-key',
			clientSecret: 'emulator-client-secret',
			name: 'n8n TikTok emulator app',
			redirectUris: null,
			approvedScopes: [...ALL_SCOPES],
		},
		autoApprove: false,
		grantedScopes: null,
		creator: {
			openId: '-000emulatorOpenIdCreator0001',
			unionId: 'emulator-union-id-0001',
			nickname: 'Emulator Creator',
			username: 'emulator.creator',
			avatarUrl: 'https://p16-sign.tiktokcdn-us.com/emulator/avatar.jpeg',
			privacyLevelOptions: ['PUBLIC_TO_EVERYONE', 'MUTUAL_FOLLOW_FRIENDS', 'SELF_ONLY'],
			commentDisabled: false,
			duetDisabled: false,
			stitchDisabled: false,
			maxVideoPostDurationSec: 300,
			privateAccount: false,
			bioDescription: 'Posting from the TikTok emulator',
			isVerified: false,
			followerCount: 42,
			followingCount: 7,
			likesCount: 1234,
			videoCount: 12,
		},
		audited: true,
		clientKeyIn: 'body',
		refreshRotation: TOKEN_POLICIES['2026-11'].refreshRotation,
		refreshTokenReuse: 'reject',
		errorStatus: 'documented',
		megabyte: 1048576,
		verifiedUrlPrefixes: null,
		pullHosts: null,
		timings: { processingMs: 1500, moderationMs: 1000 },
		nextFailReasons: [],
		rateLimits: true,
		rateLimitPerMinute: {
			creatorInfo: 20,
			videoInit: 6,
			inboxInit: 6,
			contentInit: 6,
			status: 30,
			userInfo: 600,
			cancel: 30,
		},
		dailyPostCap: 15,
		pendingDraftCap: 5,
		activeUserCapReached: false,
		bannedFromPosting: false,
		accessTokenLifetimeSec: TOKEN_POLICIES['2026-11'].accessTokenLifetimeSec,
		refreshTokenLifetimeSec: TOKEN_POLICIES['2026-11'].refreshTokenLifetimeSec,
		authorizationCodeLifetimeSec: 600,
		uploadUrlLifetimeSec: 3600,
		requestLogLimit: 2000,
		uploadDigest: 'sha256',
		webhook: {
			url: null,
			retries: 3,
			retryDelayMs: 200,
			duplicateDeliveries: 0,
			badSignature: false,
			timestampSkewSec: 0,
		},
	};
}

export type ConfigPatch = Partial<
	Omit<EmulatorConfig, 'app' | 'creator' | 'timings' | 'rateLimitPerMinute' | 'webhook'>
> & {
	app?: Partial<AppConfig>;
	webhook?: Partial<WebhookConfig>;
	creator?: Partial<CreatorConfig>;
	timings?: Partial<StatusTimings>;
	rateLimitPerMinute?: Partial<RateLimitsPerMinute>;
	/** Convenience: makes exactly the next post fail with this reason (replaces the queue). */
	nextFailReason?: string | null;
	/** Convenience: sets the three token-policy settings; explicit ones in the same patch win. */
	tokenPolicy?: TokenPolicy;
};

/** Settings that are shortcuts, not stored in the config. */
const CONVENIENCE_KEYS = ['nextFailReason', 'tokenPolicy'];

const NESTED_KEYS = ['app', 'creator', 'timings', 'rateLimitPerMinute', 'webhook'] as const;

/** Merges a patch into a config; nested objects are merged one level deep. Throws on bad values. */
export function mergeConfig(base: EmulatorConfig, patch: ConfigPatch): EmulatorConfig {
	if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
		throw new Error('config must be a JSON object');
	}
	const next = structuredClone(base) as unknown as Record<string, unknown>;
	if (patch.tokenPolicy !== undefined) {
		// Applied before the individual settings so that those in the same patch win.
		const names = Object.keys(TOKEN_POLICIES);
		if (!names.includes(patch.tokenPolicy)) {
			throw new Error(
				`tokenPolicy must be one of ${names.map((v) => JSON.stringify(v)).join(', ')}`,
			);
		}
		Object.assign(next, TOKEN_POLICIES[patch.tokenPolicy]);
	}
	for (const [key, value] of Object.entries(patch)) {
		if (CONVENIENCE_KEYS.includes(key)) continue;
		if (!(key in next)) throw new Error(`unknown setting: ${key}`);
		if ((NESTED_KEYS as readonly string[]).includes(key)) {
			if (typeof value !== 'object' || value === null) throw new Error(`${key} must be an object`);
			const target = next[key] as Record<string, unknown>;
			for (const [inner, innerValue] of Object.entries(value)) {
				if (!(inner in target)) throw new Error(`unknown setting: ${key}.${inner}`);
				target[inner] = innerValue;
			}
		} else {
			next[key] = value;
		}
	}
	const merged = next as unknown as EmulatorConfig;
	if (patch.nextFailReason !== undefined) {
		merged.nextFailReasons = patch.nextFailReason ? [patch.nextFailReason] : [];
	}
	if ((merged.errorStatus as unknown) === '200') merged.errorStatus = 200;
	validateConfig(merged);
	return merged;
}

function validateConfig(config: EmulatorConfig): void {
	const oneOf = (name: string, value: unknown, allowed: unknown[]) => {
		if (!allowed.includes(value)) {
			throw new Error(`${name} must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`);
		}
	};
	oneOf('clientKeyIn', config.clientKeyIn, ['body', 'body-or-query']);
	oneOf('refreshRotation', config.refreshRotation, ['stable', 'rotate', 'rotate-and-revoke-old']);
	oneOf('refreshTokenReuse', config.refreshTokenReuse, ['reject', 'revoke-grant']);
	oneOf('errorStatus', config.errorStatus, ['documented', 200]);
	oneOf('megabyte', config.megabyte, [1000000, 1048576]);
	oneOf('uploadDigest', config.uploadDigest, ['sha256', 'sampled']);
	if (!Array.isArray(config.nextFailReasons)) throw new Error('nextFailReasons must be a list');
	if (config.app.redirectUris !== null && !Array.isArray(config.app.redirectUris)) {
		throw new Error('app.redirectUris must be null or a list');
	}
	if (config.verifiedUrlPrefixes !== null && !Array.isArray(config.verifiedUrlPrefixes)) {
		throw new Error('verifiedUrlPrefixes must be null or a list');
	}
	if (config.grantedScopes !== null && !Array.isArray(config.grantedScopes)) {
		throw new Error('grantedScopes must be null or a list');
	}
	validatePullHosts(config.pullHosts);
	validateWebhook(config.webhook);
}

function validateWebhook(webhook: WebhookConfig): void {
	if (webhook.url !== null) {
		let protocol = '';
		try {
			protocol = new URL(String(webhook.url)).protocol;
		} catch {
			protocol = '';
		}
		if (typeof webhook.url !== 'string' || !['http:', 'https:'].includes(protocol)) {
			throw new Error('webhook.url must be null or an absolute http(s) URL');
		}
	}
	const integerIn = (name: string, value: unknown, max: number) => {
		if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
			throw new Error(`webhook.${name} must be an integer from 0 to ${max}`);
		}
	};
	integerIn('retries', webhook.retries, 20);
	integerIn('retryDelayMs', webhook.retryDelayMs, 60_000);
	integerIn('duplicateDeliveries', webhook.duplicateDeliveries, 20);
	if (typeof webhook.badSignature !== 'boolean') throw new Error('webhook.badSignature must be a boolean');
	if (typeof webhook.timestampSkewSec !== 'number' || !Number.isFinite(webhook.timestampSkewSec)) {
		throw new Error('webhook.timestampSkewSec must be a number of seconds');
	}
}

// A domain name as TikTok requires for pulls: dot-separated labels, the last one starting with a
// letter, so IPv4 literals never match (and IPv6 literals have no dots). Lowercase, as URL parses.
const DOMAIN_NAME =
	/^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// Targets stay on this machine: the emulator must never pull from the real network.
const LOOPBACK_ORIGIN = /^http:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d{1,5})\/?$/;

function validatePullHosts(pullHosts: unknown): void {
	if (pullHosts === null) return;
	if (typeof pullHosts !== 'object' || Array.isArray(pullHosts)) {
		throw new Error('pullHosts must be null or an object mapping a host name to an origin');
	}
	for (const [host, origin] of Object.entries(pullHosts)) {
		if (!DOMAIN_NAME.test(host)) {
			throw new Error(`pullHosts: "${host}" must be a lowercase domain name, not an IP address`);
		}
		const port = typeof origin === 'string' ? LOOPBACK_ORIGIN.exec(origin)?.[1] : undefined;
		if (!port || Number(port) < 1 || Number(port) > 65535) {
			throw new Error(
				`pullHosts.${host} must be http://127.0.0.1:<port>, http://localhost:<port> or http://[::1]:<port>`,
			);
		}
	}
}
