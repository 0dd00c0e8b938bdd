// What an AI agent may do with the node as a tool: URL sources only, and never the user's privacy
// or disclosure choices (fields left to the model hold a $fromAI() expression).
import type { IExecuteFunctions } from 'n8n-workflow';

import { assertAllowedAsTool } from '../../nodes/TikTok/actions/common/toolUse';
import { InputError } from '../../nodes/TikTok/shared/inputError';
import { TikTok } from '../../nodes/TikTok/TikTok.node';

function context(tool: boolean | undefined, parameters: Record<string, unknown> = {}) {
	return {
		...(tool === undefined ? {} : { isToolExecution: () => tool }),
		getNode: () => ({ parameters }),
	} as unknown as IExecuteFunctions;
}

function refusal(run: () => void): InputError {
	try {
		run();
	} catch (error) {
		return error as InputError;
	}
	throw new Error('expected a refusal');
}

describe('assertAllowedAsTool', () => {
	it('lets a workflow (not a tool call) do anything, on n8n versions without tool calls too', () => {
		expect(() => assertAllowedAsTool(context(false, { privacyLevel: "={{ $fromAI('privacy') }}" }), { binarySource: true })).not.toThrow();
		expect(() => assertAllowedAsTool(context(undefined), { binarySource: true })).not.toThrow();
	});

	it('refuses a binary source in a tool call, pointing to the URL sources', () => {
		const error = refusal(() => assertAllowedAsTool(context(true), { binarySource: true }));
		expect(error).toBeInstanceOf(InputError);
		expect(error.hint).toMatch(/URL, Uploaded in Chunks/);
	});

	it('refuses privacy or disclosure left to the model, naming the fields', () => {
		const error = refusal(() =>
			assertAllowedAsTool(
				context(true, { privacyLevel: "={{ $fromAI('privacy') }}", brandedContent: "={{ $fromAI('paid', '', 'boolean') }}", title: "={{ $fromAI('caption') }}" }),
				{ binarySource: false },
			),
		);
		expect(error.message).toBe('"Privacy Level", "Branded Content" must be set by you, not by the AI model');
	});

	it('lets the model fill the caption and the URL', () => {
		expect(() =>
			assertAllowedAsTool(context(true, { privacyLevel: 'SELF_ONLY', title: "={{ $fromAI('caption') }}", videoUrl: "={{ $fromAI('url') }}" }), {
				binarySource: false,
			}),
		).not.toThrow();
	});

	it('gives the tool variant a description that says what a tool call can do', () => {
		const usable = new TikTok().description.usableAsTool;
		expect(typeof usable === 'object' && usable.replacements?.description).toMatch(/https link.*Privacy and disclosure are set by the user/);
	});
});

describe('Privacy Level dropdown', () => {
	it('reloads when Authentication changes (n8n reloads it itself when the credential changes)', () => {
		const privacy = new TikTok().description.properties.filter((property) => property.name === 'privacyLevel');
		expect(privacy.length).toBeGreaterThanOrEqual(2); // video and photo direct posts
		for (const property of privacy) {
			expect(property.typeOptions).toMatchObject({ loadOptionsMethod: 'getPrivacyLevels', loadOptionsDependsOn: ['authentication'] });
		}
	});
});
