import type { IExecuteFunctions, INode, INodeExecutionData, JsonObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { InputError } from '../shared/inputError';
import { failureToJson, TikTokNodeError } from '../transport/tiktokError';

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

/** The JSON of an error item under continueOnFail: the message, the hint, TikTok's code and ids. */
export function errorItemJson(error: TikTokNodeError | NodeOperationError): JsonObject {
	if (error instanceof TikTokNodeError) return failureToJson(error.tiktok);
	const json: JsonObject = { error: error.message };
	if (error.description) json.hint = error.description;
	json.code = 'invalid_input';
	return json;
}

export type ItemHandler = (this: IExecuteFunctions, itemIndex: number) => Promise<JsonObject>;

/**
 * Runs a post operation item by item (one upload in memory at a time; TikTok allows 6 inits a
 * minute). Every output item is paired with its input; under Continue On Fail a failed item
 * becomes an error item that keeps TikTok's code, log_id and hint.
 */
export async function runItemsInOrder(this: IExecuteFunctions, handle: ItemHandler): Promise<INodeExecutionData[][]> {
	const returnData: INodeExecutionData[] = [];
	const items = this.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const json = await handle.call(this, itemIndex);
			returnData.push({ json, pairedItem: { item: itemIndex } });
		} catch (caught) {
			const error = toItemError(this.getNode(), caught, itemIndex);
			if (!this.continueOnFail()) throw error;
			returnData.push({ json: errorItemJson(error), pairedItem: { item: itemIndex } });
		}
	}
	return [returnData];
}
