/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The request log of GET /__emulator/state: what clients sent, with every secret masked. For the
// OAuth endpoints it records which parameter NAMES arrived where (query/body) and the client_key
// value (not a secret), so credential tests can prove how they called TikTok.
import type { IncomingHttpHeaders } from 'http';

export interface OAuthParamsSeen {
	/** Parameter names in the query string. */
	query: string[];
	/** Parameter names in the form body. */
	body: string[];
	/** The client_key value, wherever it was sent (null if absent). */
	clientKey: string | null;
	grantType: string | null;
}

export interface RequestLogEntry {
	id: number;
	time: string;
	method: string;
	path: string;
	status: number | 'dropped' | 'aborted' | null;
	headers: Record<string, string>;
	oauth?: OAuthParamsSeen;
	/** For upload PUTs: the chunk index derived from Content-Range. */
	chunkIndex?: number;
	/** When the client closed the connection before an answer (wall-clock ms; with status 'aborted'). */
	abortedAtMs?: number;
}

const SECRET_HEADERS = ['cookie', 'set-cookie', 'proxy-authorization'];
const SECRET_QUERY_PARAMS = ['upload_token', 'client_secret', 'code', 'code_verifier', 'token'];

/** "act.…!1234.va": enough to tell tokens apart, never enough to use one. */
export function maskSecret(secret: string): string {
	if (secret.length <= 8) return '…';
	const tail = secret.length > 24 ? 8 : 4;
	return `${secret.slice(0, 4)}…${secret.slice(-tail)}`;
}

export function maskHeaders(headers: IncomingHttpHeaders): Record<string, string> {
	const masked: Record<string, string> = {};
	for (const [name, raw] of Object.entries(headers)) {
		if (raw === undefined) continue;
		const value = Array.isArray(raw) ? raw.join(', ') : raw;
		if (name === 'authorization') {
			const [scheme, ...rest] = value.split(' ');
			masked[name] = rest.length ? `${scheme} ${maskSecret(rest.join(' '))}` : maskSecret(value);
		} else if (SECRET_HEADERS.includes(name)) {
			masked[name] = maskSecret(value);
		} else {
			masked[name] = value;
		}
	}
	return masked;
}

export function maskPath(url: URL): string {
	if (!url.search) return url.pathname;
	const params = new URLSearchParams(url.search);
	for (const name of SECRET_QUERY_PARAMS) {
		const value = params.get(name);
		if (value !== null) params.set(name, maskSecret(value));
	}
	return `${url.pathname}?${params.toString()}`;
}

export class RequestLog {
	private entries: RequestLogEntry[] = [];
	private lastId = 0;

	constructor(private readonly limit: () => number) {}

	add(entry: Omit<RequestLogEntry, 'id'>): RequestLogEntry {
		const full = { id: ++this.lastId, ...entry };
		this.entries.push(full);
		const overflow = this.entries.length - this.limit();
		if (overflow > 0) this.entries.splice(0, overflow);
		return full;
	}

	since(id: number): RequestLogEntry[] {
		return this.entries.filter((entry) => entry.id > id);
	}

	get latestId(): number {
		return this.lastId;
	}

	clear(): void {
		this.entries = [];
	}
}
