/**
 * A problem with what the user asked for, found before (or instead of) calling TikTok.
 * `message` says what is wrong; `hint` says how to fix it. The node turns it into a
 * NodeOperationError with `description: hint`; these modules stay free of n8n-workflow.
 */
export class InputError extends Error {
	constructor(
		message: string,
		public readonly hint: string,
	) {
		super(message);
		this.name = 'InputError';
	}
}
