import type { IExecuteFunctions } from 'n8n-workflow';

import { InputError } from '../../shared/inputError';

/**
 * Decisions only the user may make, never an AI model: who sees the post and what it discloses.
 * As a tool, a field the user left to the model holds a $fromAI() expression.
 */
const USER_DECIDES = {
	privacyLevel: 'Privacy Level',
	commercialContent: 'Disclose Commercial Content',
	yourBrand: 'Your Brand',
	brandedContent: 'Branded Content',
	isAigc: 'AI-Generated Content',
} as const;

function isToolCall(ctx: IExecuteFunctions): boolean {
	// isToolExecution arrived with n8n's AI tools; older versions have no tool variant anyway.
	const check = (ctx as Partial<Pick<IExecuteFunctions, 'isToolExecution'>>).isToolExecution;
	return typeof check === 'function' && check.call(ctx) === true;
}

/** What a post operation may do when an AI agent calls it as a tool (see README, AI agents). */
export function assertAllowedAsTool(ctx: IExecuteFunctions, options: { binarySource: boolean }): void {
	if (!isToolCall(ctx)) return;
	if (options.binarySource) {
		throw new InputError(
			'A video from a binary file cannot be posted when the node is an AI agent\'s tool: a tool call carries only text',
			'Set Video Source to "URL, Uploaded in Chunks" (any http(s) link) or "URL, Pulled by TikTok", and let the model give the URL.',
		);
	}
	const parameters = ctx.getNode().parameters;
	const leftToModel = Object.entries(USER_DECIDES)
		.filter(([name]) => String(parameters[name] ?? '').includes('$fromAI'))
		.map(([, label]) => `"${label}"`);
	if (leftToModel.length > 0) {
		throw new InputError(
			`${leftToModel.join(', ')} must be set by you, not by the AI model`,
			'Who can see a post and what it discloses are your decisions: give these fields fixed values in the node. The model may fill the caption, the URL and similar fields.',
		);
	}
}
