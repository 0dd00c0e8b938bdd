/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test code runs in Node.js, not inside n8n */
// Named checks with one summary line each. Checks run in chains: when one fails, the rest of its
// chain is skipped (they depend on it), other chains still run. A check also fails when the
// browser logged a console error while it ran.
import type { ConsoleProblem, ConsoleWatcher } from './console-watcher';

export type Outcome = 'PASS' | 'FAIL' | 'SKIP';

export interface CheckResult {
	name: string;
	outcome: Outcome;
	detail: string;
	seconds: number;
}

export class Checklist {
	readonly results: CheckResult[] = [];
	/** Console errors already charged to a check. */
	private readonly charged = new Set<ConsoleProblem>();

	constructor(
		private readonly watcher: ConsoleWatcher,
		private readonly print: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
	) {}

	chain(): CheckChain {
		return new CheckChain(this);
	}

	get failed(): boolean {
		return this.results.some((result) => result.outcome !== 'PASS');
	}

	/** Runs one check; its body returns a short detail for the summary line or throws. */
	async run(name: string, body: () => Promise<string | void>): Promise<boolean> {
		const started = Date.now();
		this.watcher.step = name;
		let outcome: Outcome = 'PASS';
		let detail = '';
		try {
			detail = (await body()) ?? '';
		} catch (error) {
			outcome = 'FAIL';
			detail = firstLine((error as Error).message);
		}
		const consoleErrors = this.watcher.problemsDuring(name);
		for (const problem of consoleErrors) this.charged.add(problem);
		if (outcome === 'PASS' && consoleErrors.length > 0) {
			outcome = 'FAIL';
			detail = `${consoleErrors.length} browser console error(s), first: ${firstLine(consoleErrors[0].text)}`;
		}
		this.record({ name, outcome, detail, seconds: (Date.now() - started) / 1000 });
		return outcome === 'PASS';
	}

	/** Console errors no check was charged with (logged after their check had finished). */
	unchargedConsoleErrors(): ConsoleProblem[] {
		return this.watcher.problems.filter((problem) => !this.charged.has(problem));
	}

	skip(name: string, reason: string): void {
		this.record({ name, outcome: 'SKIP', detail: reason, seconds: 0 });
	}

	private record(result: CheckResult): void {
		this.results.push(result);
		const time = result.outcome === 'SKIP' ? '' : ` (${result.seconds.toFixed(1)} s)`;
		this.print(
			`${result.outcome}  ${result.name}${time}${result.detail ? `: ${result.detail}` : ''}`,
		);
	}
}

export class CheckChain {
	private broken: string | undefined;

	constructor(private readonly checklist: Checklist) {}

	async check(name: string, body: () => Promise<string | void>): Promise<void> {
		if (this.broken) {
			this.checklist.skip(name, `needs "${this.broken}"`);
			return;
		}
		if (!(await this.checklist.run(name, body))) this.broken = name;
	}
}

/** The first line of a message; for Playwright timeouts also what it was waiting for. */
function firstLine(text: string): string {
	// Playwright colours its call log with ANSI escapes; ESC is built from its code, as lint
	// refuses a control character written into a regular expression.
	const lines = text
		.replace(new RegExp(`${String.fromCharCode(27)}\\[\\d+m`, 'g'), '')
		.split('\n')
		.map((line) => line.trim());
	let line = lines.find((candidate) => candidate !== '') ?? text;
	const waitingFor = lines.find((candidate) => candidate.startsWith('- waiting for'));
	if (waitingFor) line += ` (${waitingFor.slice(2)})`;
	return line.length > 400 ? `${line.slice(0, 400)}…` : line;
}
