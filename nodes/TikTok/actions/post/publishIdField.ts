import type { IExecuteSingleFunctions, IHttpRequestOptions, INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/inputError';
import { toItemError } from '../common/itemLoop';
import { ParameterReader } from '../common/parameterReader';

/** The publish_id field of Get Status and Cancel. */
export const publishIdField: INodeProperties = {
	displayName: 'Publish ID',
	name: 'publishId',
	type: 'string',
	default: '',
	required: true,
	placeholder: 'e.g. v_pub_file~v2-1.7123456789',
	description: 'The publish_id returned by Post Video or Post Photos',
	displayOptions: { show: { resource: ['post'] } },
};

/** The publish_id as text; an expression may give a number, never an object or a list. */
export function publishIdOf(ctx: IExecuteSingleFunctions): string {
	return ParameterReader.forSingleItem(ctx, [publishIdField]).text('publishId', { trim: true });
}

/** Reads and checks the publish_id before calling TikTok, and puts it in the request body. */
export async function sendPublishId(
	this: IExecuteSingleFunctions,
	requestOptions: IHttpRequestOptions,
): Promise<IHttpRequestOptions> {
	let publishId: string;
	try {
		publishId = publishIdOf(this);
		if (!publishId) {
			throw new InputError(
				// The routing engine's error items keep only the message, so it carries the fix too.
				'Publish ID is empty: map the "publish_id" returned by Post Video or Post Photos',
				'Map the "publish_id" returned by the Post Video or Post Photos operation, e.g. {{ $json.publish_id }}.',
			);
		}
	} catch (error) {
		throw toItemError(this.getNode(), error, this.getItemIndex());
	}
	return { ...requestOptions, body: { publish_id: publishId } };
}
