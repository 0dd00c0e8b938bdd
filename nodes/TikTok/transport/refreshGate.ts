/**
 * One token refresh at a time per credential in this n8n process. When several executions meet an
 * expired token together, the first refreshes; the others wait, then resend with the token it
 * stored. Without this, each would refresh, and with TikTok's rotating refresh tokens (November
 * 2026) all but one refresh would present an already replaced token: refused, or worse, taken as
 * token theft where an OAuth server revokes the whole authorization.
 */
interface Gate {
	/** Counts finished refreshes; a caller that saw an older value knows the token changed since. */
	generation: number;
	busy?: Promise<void>;
}

const gates = new Map<string, Gate>();
const MAX_ROUNDS = 20;

function gateFor(key: string): Gate {
	let gate = gates.get(key);
	if (!gate) {
		gate = { generation: 0 };
		gates.set(key, gate);
	}
	return gate;
}

/** Read before sending: a refresh finished after this means the 401 came from a replaced token. */
export function refreshGeneration(key: string): number {
	return gateFor(key).generation;
}

export interface RefreshSteps<T> {
	/** Sends again with whatever token is stored now; `undefined` means TikTok still said 401. */
	resend(): Promise<T | undefined>;
	/** Sends in the way that makes n8n refresh the token and retry (only one caller at a time). */
	refresh(): Promise<T>;
}

export async function afterTokenRejected<T>(key: string, seenGeneration: number, steps: RefreshSteps<T>): Promise<T> {
	const gate = gateFor(key);
	let seen = seenGeneration;
	for (let round = 0; round < MAX_ROUNDS; round++) {
		if (gate.busy) {
			await gate.busy;
			continue;
		}
		if (gate.generation !== seen) {
			seen = gate.generation;
			const answer = await steps.resend();
			if (answer !== undefined) return answer;
			continue;
		}
		let release: () => void = () => undefined;
		gate.busy = new Promise<void>((resolve) => (release = resolve));
		try {
			return await steps.refresh();
		} finally {
			gate.generation++;
			gate.busy = undefined;
			release();
		}
	}
	return await steps.refresh();
}
