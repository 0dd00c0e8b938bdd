import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { fetchCreatorInfo } from '../actions/common/creatorInfo';
import { PRIVACY_LEVEL_LABELS } from '../shared/validation';
import { credentialTypeFor } from '../transport/credentials';

/** The connected creator's live privacy options, as TikTok's guidelines require (no fixed list). */
export async function getPrivacyLevels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const credentialType = credentialTypeFor(this.getNodeParameter('authentication', 'oAuth2'));
	// A dropdown in the editor: fail fast (no waiting out rate limits or outages) with a readable message.
	const creator = await fetchCreatorInfo.call(this, credentialType, { interactive: true });
	const who = creator.creator_nickname ? ` (${creator.creator_nickname})` : '';
	return creator.privacy_level_options.map((value) => ({
		name: (PRIVACY_LEVEL_LABELS as Record<string, string>)[value] ?? value,
		value,
		description: `${value}: offered by TikTok for this creator${who}`,
	}));
}
