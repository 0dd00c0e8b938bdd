// The emulator's control API (/__emulator/…), as far as the browser check needs it.
import type { ConfigPatch } from '../emulator';
import type { RequestLogEntry } from '../emulator/request-log';

export interface EmulatorPost {
	publish_id: string;
	flow: string;
	media: string;
	status: string;
	bytes: number;
	sha256: string | string[] | null;
	post_info?: { privacy_level?: string };
}

export interface EmulatorState {
	posts: EmulatorPost[];
	requests: RequestLogEntry[];
	lastRequestId: number;
}

const CONTROL_TIMEOUT_MS = 10_000;

export class EmulatorControl {
	constructor(readonly url: string) {}

	async configure(patch: ConfigPatch): Promise<void> {
		await this.call('POST', '/__emulator/config', patch);
	}

	/** One webhook delivery to `url`, signed like TikTok's with the app's secret (POST /__emulator/webhooks/send). */
	sendWebhook(input: {
		url: string;
		body: unknown;
	}): Promise<{ status: number | 'error'; responseBody: string }> {
		return this.call('POST', '/__emulator/webhooks/send', input);
	}

	/** Posts, and the requests logged after request id `since` (all when 0). */
	state(since = 0): Promise<EmulatorState> {
		return this.call<EmulatorState>('GET', `/__emulator/state?since=${since}`);
	}

	private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(this.url + path, {
			method,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
			signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`emulator ${method} ${path} -> ${response.status}: ${text}`);
		return JSON.parse(text) as T;
	}
}

/** Requests to one TikTok path (query ignored), in the order they arrived. */
export function requestsTo(state: EmulatorState, method: string, path: string): RequestLogEntry[] {
	return state.requests.filter(
		(request) => request.method === method && request.path.split('?')[0] === path,
	);
}
