// JSON request bodies of the v2 API: an empty body is {}; anything else must be a JSON object.
import { BodyTooLargeError, readSmallBody, sendApiError, type RequestContext } from './http';
import { parseJsonObject } from './json';

export async function readJsonBody(ctx: RequestContext): Promise<Record<string, unknown> | null> {
	let text: string;
	try {
		text = await readSmallBody(ctx.req);
	} catch (error) {
		if (error instanceof BodyTooLargeError) {
			sendApiError(ctx, 400, 'invalid_params', 'The request body is too large');
		}
		return null;
	}
	if (text.trim() === '') return {};
	const body = parseJsonObject(text);
	if (!body)
		sendApiError(ctx, 400, 'invalid_params', 'The request body is not a valid JSON object');
	return body ?? null;
}
