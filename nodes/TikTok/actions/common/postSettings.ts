import type { IDataObject } from 'n8n-workflow';

import {
	assertBrandedContentRules,
	assertInteractionsAllowed,
	assertPrivacyAllowedForCreator,
	assertPrivacyLevel,
	type CreatorInfo,
	type PrivacyLevel,
} from '../../shared/validation';
import type { ParameterReader } from './parameterReader';

/** What the user chose for a direct post (video or photos), as the node's parameters hold it. */
export interface DirectPostSettings {
	privacyLevel: PrivacyLevel;
	allowComments: boolean;
	allowDuet?: boolean;
	allowStitch?: boolean;
	commercialContent: boolean;
	yourBrand: boolean;
	brandedContent: boolean;
	isAigc: boolean;
}

/** The direct-post fields (see postFields.ts) of one item, typed and checked where nothing from TikTok is needed. */
export function readDirectPostSettings(reader: ParameterReader, options: { duetAndStitch: boolean }): DirectPostSettings {
	const settings: DirectPostSettings = {
		privacyLevel: assertPrivacyLevel(reader.raw('privacyLevel', '')),
		allowComments: reader.boolean('allowComments'),
		commercialContent: reader.boolean('commercialContent'),
		yourBrand: false,
		brandedContent: false,
		isAigc: reader.boolean('isAigc'),
	};
	// The brand choices only exist (and are only read) while commercial disclosure is on.
	if (settings.commercialContent) {
		settings.yourBrand = reader.boolean('yourBrand');
		settings.brandedContent = reader.boolean('brandedContent');
	}
	if (options.duetAndStitch) {
		settings.allowDuet = reader.boolean('allowDuet');
		settings.allowStitch = reader.boolean('allowStitch');
	}
	checkSettingsLocally(settings);
	return settings;
}

/** Checks that need nothing from TikTok: run before any call. */
export function checkSettingsLocally(settings: DirectPostSettings): void {
	assertPrivacyLevel(settings.privacyLevel);
	assertBrandedContentRules({
		commercialContent: settings.commercialContent,
		brandedContent: settings.commercialContent && settings.brandedContent,
		yourBrand: settings.commercialContent && settings.yourBrand,
		privacy: settings.privacyLevel,
	});
}

/** Checks against the creator's live settings (privacy options, disabled interactions). */
export function checkSettingsForCreator(settings: DirectPostSettings, creator: CreatorInfo): void {
	assertPrivacyAllowedForCreator(settings.privacyLevel, creator);
	assertInteractionsAllowed(
		{ allowComments: settings.allowComments, allowDuet: settings.allowDuet, allowStitch: settings.allowStitch },
		creator,
	);
}

/** TikTok's post_info fields shared by video and photo direct posts (toggles sent explicitly). */
export function commonPostInfo(settings: DirectPostSettings): IDataObject {
	return {
		privacy_level: settings.privacyLevel,
		disable_comment: !settings.allowComments,
		brand_content_toggle: settings.commercialContent && settings.brandedContent,
		brand_organic_toggle: settings.commercialContent && settings.yourBrand,
	};
}
