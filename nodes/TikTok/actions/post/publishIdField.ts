import type { INodeProperties } from 'n8n-workflow';

import { InputError } from '../../shared/inputError';
import type { ParameterReader } from '../common/parameterReader';

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

/** The publish_id as text (an expression may give a number; never an object or a list), not empty. */
export function readPublishId(reader: ParameterReader): string {
	const publishId = reader.text('publishId', { trim: true });
	if (!publishId) {
		throw new InputError(
			'Publish ID is empty: map the "publish_id" returned by Post Video or Post Photos',
			'Map the "publish_id" returned by the Post Video or Post Photos operation, e.g. {{ $json.publish_id }}.',
		);
	}
	return publishId;
}
