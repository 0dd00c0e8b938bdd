// Collects browser console errors and uncaught page errors from every page of a context (the
// editor tab, the credential tab and the OAuth popup), minus a short, documented list of noise.
import type { BrowserContext, ConsoleMessage, Page } from 'playwright-core';

export interface ConsoleProblem {
	step: string;
	text: string;
	url: string;
}

interface Noise {
	why: string;
	matches(text: string, url: string, step: string): boolean;
}

/**
 * Errors that are not the package's doing, each with the reason it is safe to ignore.
 * Anything else (a Vue warning promoted to an error, a failed /rest call made by the node's
 * parameter UI, an uncaught exception) fails the check.
 */
const KNOWN_NOISE: Noise[] = [
	{
		why: "n8n's sign-in page asks /rest/login who is logged in before anyone is: 401 by design",
		matches: (text, url, step) =>
			step === 'sign in' && /status of 401/.test(text) && new URL(url).pathname === '/rest/login',
	},
	{
		why: 'requests to hosts other than 127.0.0.1 are blocked by the check itself (no network in tests)',
		matches: (text, url) => /^Failed to load resource/.test(text) && !isLoopback(url),
	},
];

export function isLoopback(url: string): boolean {
	try {
		const { protocol, hostname } = new URL(url);
		if (protocol === 'data:' || protocol === 'blob:' || protocol === 'about:') return true;
		return hostname === '127.0.0.1' || hostname === 'localhost' || hostname === '[::1]';
	} catch {
		return true;
	}
}

export class ConsoleWatcher {
	readonly problems: ConsoleProblem[] = [];
	readonly ignored: Array<ConsoleProblem & { why: string }> = [];
	/** The check in progress; errors are attributed to it. */
	step = 'start';

	/** Watches every page the context has or will open (popups included). */
	watchContext(context: BrowserContext): void {
		for (const page of context.pages()) this.watchPage(page);
		context.on('page', (page) => this.watchPage(page));
	}

	private watchPage(page: Page): void {
		page.on('console', (message: ConsoleMessage) => {
			if (message.type() !== 'error') return;
			this.record(message.text(), message.location().url || page.url());
		});
		page.on('pageerror', (error) => this.record(`uncaught: ${error.message}`, page.url()));
	}

	private record(text: string, url: string): void {
		const problem = { step: this.step, text, url };
		const noise = KNOWN_NOISE.find((candidate) => candidate.matches(text, url, this.step));
		if (noise) this.ignored.push({ ...problem, why: noise.why });
		else this.problems.push(problem);
	}

	problemsDuring(step: string): ConsoleProblem[] {
		return this.problems.filter((problem) => problem.step === step);
	}
}
