import type { IDataObject, IExecuteFunctions, IExecuteSingleFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InputError } from '../../shared/inputError';
import { settle } from '../../shared/settle';
import { failureToJson, TikTokNodeError } from '../../transport/tiktokError';
import { PostLedger } from './postLedger';

/** Turns anything thrown while handling one item into an n8n error that names the item. */
export function toItemError(node: INode, error: unknown, itemIndex: number): TikTokNodeError | NodeOperationError {
	if (error instanceof TikTokNodeError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	if (error instanceof InputError) {
		return new NodeOperationError(node, error.message, { description: error.hint, itemIndex });
	}
	if (error instanceof NodeOperationError) {
		error.context.itemIndex = itemIndex;
		return error;
	}
	return new NodeOperationError(node, error instanceof Error ? error : new Error(String(error)), { itemIndex });
}

/** The fields of a failed item: the message, the hint, TikTok's code and ids. */
export function errorFields(error: TikTokNodeError | NodeOperationError): JsonObject {
	if (error instanceof TikTokNodeError) return failureToJson(error.tiktok);
	const json: JsonObject = { error: error.message };
	if (error.description) json.hint = error.description;
	json.code = 'invalid_input';
	return json;
}

/**
 * A failed item under Continue On Fail. With "Continue (using error output)" n8n sends an item to
 * the error output only when its json holds nothing but `error`, `message` and `details` (and it
 * merges in the input item's fields there), so TikTok's code, log_id, hint and publish_id go in
 * `details`. With "Continue" (regular output) they stay top-level, as they always have.
 */
export function errorItem(
	ctx: IExecuteFunctions | IExecuteSingleFunctions,
	error: TikTokNodeError | NodeOperationError,
	itemIndex: number,
): INodeExecutionData {
	const fields = errorFields(error);
	if (ctx.getNode().onError === 'continueErrorOutput') {
		const { error: message, ...details } = fields;
		return { json: { error: message, details }, pairedItem: { item: itemIndex } };
	}
	return { json: fields, pairedItem: { item: itemIndex } };
}

export type PostHandler = (this: IExecuteFunctions, itemIndex: number, ledger: PostLedger) => Promise<JsonObject>;

/**
 * Runs a post operation item by item (one upload in memory at a time; TikTok allows 6 inits a
 * minute). Every output item is paired with its input. Items posted by an earlier attempt of this
 * run (Retry On Fail, a retried execution) are not posted again: see PostLedger.
 */
export async function runPostItems(this: IExecuteFunctions, handle: PostHandler): Promise<INodeExecutionData[][]> {
	const returnData: INodeExecutionData[] = [];
	const ledger = PostLedger.open(this);
	const items = this.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		let json: JsonObject | undefined;
		let failure: unknown;
		const earlier = ledger.replay(this, itemIndex);
		if (earlier instanceof Error) failure = earlier;
		else if (earlier) json = earlier;
		else {
			try {
				json = await handle.call(this, itemIndex, ledger);
				ledger.posted(itemIndex, json);
			} catch (caught) {
				ledger.failed(itemIndex, caught);
				failure = caught;
			}
		}
		if (json) {
			returnData.push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		const error = toItemError(this.getNode(), failure, itemIndex);
		if (!this.continueOnFail()) throw error;
		returnData.push(errorItem(this, error, itemIndex));
	}
	return [returnData];
}

/**
 * Runs a read-only operation for every item at once (nothing is posted, and the transport paces
 * the calls within TikTok's limits). Outputs keep the input order and pairing; without Continue On
 * Fail the first failed item's error is thrown once every item has settled.
 */
export async function runItemsTogether(
	this: IExecuteFunctions,
	handle: (this: IExecuteFunctions, itemIndex: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const settled = await Promise.all(items.map(async (_item, itemIndex) => await settle(async () => await handle.call(this, itemIndex))));
	const returnData: INodeExecutionData[] = [];
	for (const [itemIndex, outcome] of settled.entries()) {
		if (outcome.ok) {
			returnData.push({ json: outcome.value, pairedItem: { item: itemIndex } });
			continue;
		}
		const error = toItemError(this.getNode(), outcome.error, itemIndex);
		if (!this.continueOnFail()) throw error;
		returnData.push(errorItem(this, error, itemIndex));
	}
	return [returnData];
}
