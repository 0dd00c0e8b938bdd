/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
// All state of one emulator instance. Handlers get it through the request context.
import { EmulatorClock } from './clock';
import {
	defaultConfig,
	MEDIA_HOST,
	MEDIA_PREFIX,
	mergeConfig,
	type ConfigPatch,
	type EmulatorConfig,
} from './config';
import { FaultList } from './faults';
import { PostStore } from './posts';
import { RateLimiter } from './rate-limits';
import { RequestLog } from './request-log';
import { TokenStore } from './tokens';
import { WebhookDispatcher } from './webhooks';

export interface ConsentRequest {
	clientKey: string;
	redirectUri: string;
	state: string | null;
	scopes: string[];
	codeChallenge: string | null;
}

export class Emulator {
	config: EmulatorConfig;
	baseUrl = '';
	readonly clock = new EmulatorClock();
	tokens = new TokenStore(() => this.config.requestLogLimit);
	readonly posts = new PostStore();
	readonly faults = new FaultList();
	readonly rateLimiter = new RateLimiter();
	readonly requestLog = new RequestLog(() => this.config.requestLogLimit);
	consentRequests = new Map<string, ConsentRequest>();
	/** Signed webhook deliveries to `config.webhook.url`; started by startEmulator(). */
	readonly webhooks = new WebhookDispatcher(this);
	private readonly timers = new Set<NodeJS.Timeout>();
	private readonly startupConfig: EmulatorConfig;

	constructor(patch: ConfigPatch = {}) {
		this.startupConfig = mergeConfig(defaultConfig(), patch);
		this.config = structuredClone(this.startupConfig);
	}

	/** Forgets everything and returns to the settings the emulator was started with. */
	reset(): void {
		this.config = structuredClone(this.startupConfig);
		this.clock.reset();
		this.tokens = new TokenStore(() => this.config.requestLogLimit);
		this.posts.clear();
		this.faults.clear();
		this.rateLimiter.clear();
		this.requestLog.clear();
		this.consentRequests.clear();
		this.webhooks.reset();
	}

	/** URL prefixes counted as verified for PULL_FROM_URL (reference §11). */
	verifiedPrefixes(): string[] {
		return this.config.verifiedUrlPrefixes ?? [MEDIA_PREFIX];
	}

	/** The test world's DNS for pulls: public https host name → loopback http origin. */
	pullHosts(): Record<string, string> {
		return this.config.pullHosts ?? { [MEDIA_HOST]: this.baseUrl };
	}

	takeFailReason(): string | null {
		return this.config.nextFailReasons.shift() ?? null;
	}

	/** A real-time wait that close() cancels (resolves early) so no timer outlives the server. */
	sleep(ms: number): Promise<void> {
		return new Promise((resolve) => {
			const timer = setTimeout(() => {
				this.timers.delete(timer);
				resolve();
			}, ms);
			this.timers.add(timer);
		});
	}

	shutdown(): void {
		this.webhooks.stop();
		for (const timer of this.timers) clearTimeout(timer);
		this.timers.clear();
		this.posts.clear();
	}
}
