import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';

import { TikTokNodeError, type TikTokFailure } from '../../transport/tiktokError';

/**
 * What became of each input item's post in this run of the node, so that nothing n8n does around
 * the node posts an item twice:
 * - Retry On Fail runs the whole node again for every item, in the same execution;
 * - a failed (or stopped) execution retried from the executions list runs it again with the
 *   execution's saved data.
 * Both keep n8n's node context (`getContext('node')`), which travels with the execution, so the
 * ledger lives there, per run index (a node that runs again in a loop posts again, as it should).
 *
 * An item is recorded as soon as its post request is sent: a re-run then returns the earlier
 * result of a posted item, and repeats the earlier error of an item whose post may exist. Items
 * TikTok provably did not post (refused before or at the post request, or an upload it never
 * completed) are forgotten, so a re-run posts them once.
 */
type Entry =
	| { state: 'sending' }
	| { state: 'created'; publishId: string }
	| { state: 'posted'; json: JsonObject }
	| { state: 'failed'; failure: TikTokFailure };

const CONTEXT_KEY = 'tikTokPostLedger';

export class PostLedger {
	private constructor(private readonly entries: Record<string, Entry>) {}

	static open(ctx: IExecuteFunctions): PostLedger {
		const context = ctx.getContext('node');
		const byRun = (context[CONTEXT_KEY] ??= {}) as Record<string, Record<string, Entry>>;
		const run = String(runIndexOf(ctx));
		return new PostLedger((byRun[run] ??= {}));
	}

	/**
	 * The earlier outcome of this item in this run, replayed: its output, or its error (an Error to
	 * throw). Undefined when the item has to be handled (first time, or nothing was posted).
	 */
	replay(ctx: IExecuteFunctions, itemIndex: number): JsonObject | TikTokNodeError | undefined {
		const entry = this.entries[String(itemIndex)];
		if (!entry) return undefined;
		if (entry.state === 'posted') return entry.json;
		if (entry.state === 'failed') return new TikTokNodeError(ctx.getNode(), repeated(entry.failure));
		// Sending or created, but never settled: the node was interrupted (its process ended).
		return new TikTokNodeError(ctx.getNode(), {
			code: entry.state === 'sending' ? 'init_outcome_unknown' : 'post_interrupted',
			message:
				entry.state === 'sending'
					? 'An earlier attempt sent this item\'s post request and was interrupted before TikTok answered'
					: 'An earlier attempt created this item\'s post and was interrupted during the upload',
			hint: `${REPEAT_HINT} Check the TikTok app (and Get Status with the publish_id, if there is one) first.`,
			publishId: entry.state === 'created' ? entry.publishId : undefined,
			postMayExist: true,
		});
	}

	/** The post request is about to be sent: from now on the post may exist. */
	sending(itemIndex: number): void {
		this.entries[String(itemIndex)] = { state: 'sending' };
	}

	created(itemIndex: number, publishId: string): void {
		this.entries[String(itemIndex)] = { state: 'created', publishId };
	}

	posted(itemIndex: number, json: JsonObject): void {
		this.entries[String(itemIndex)] = { state: 'posted', json };
	}

	/** The item failed. Kept when the post may exist; forgotten when TikTok holds nothing it will publish. */
	failed(itemIndex: number, error: unknown): void {
		const key = String(itemIndex);
		if (!this.entries[key]) return;
		const failure = error instanceof TikTokNodeError ? error.tiktok : undefined;
		const mayExist = failure ? failure.postMayExist ?? Boolean(failure.publishId) : this.entries[key].state !== 'sending';
		if (failure && mayExist) this.entries[key] = { state: 'failed', failure: { ...failure } };
		else if (!mayExist) delete this.entries[key];
		// An unexpected error after the post request: keep the entry; replay reports it as interrupted.
	}
}

const REPEAT_HINT =
	'This item was already attempted in this execution, so it is not posted again (that could publish it twice).';

function repeated(failure: TikTokFailure): TikTokFailure {
	return { ...failure, hint: `${failure.hint} ${REPEAT_HINT}` };
}

/** n8n's run index of this node (0, or more when the node runs again in a loop). */
function runIndexOf(ctx: IExecuteFunctions): number {
	try {
		const proxy = ctx.getWorkflowDataProxy(0) as { $thisRunIndex?: unknown; $runIndex?: unknown };
		const index = proxy.$thisRunIndex ?? proxy.$runIndex;
		return typeof index === 'number' && Number.isInteger(index) ? index : 0;
	} catch {
		return 0;
	}
}
