// Request-body rules of the init endpoints (reference §4, §5, §6, §7). Each check returns the
// invalid_params message, or null when the body passes. Unknown fields are tolerated.
import { chunkPlanError } from './chunk-rules';
import { PRIVACY_LEVELS } from './config';

type Json = Record<string, unknown>;

export const POST_INFO_INVALID = 'The request post info is empty or incorrect';
export const SOURCE_INFO_INVALID = 'The request source info is empty or incorrect';
export const MEDIA_TYPE_OR_MODE_INVALID = 'Invalid media_type or post_mode';

const VIDEO_TITLE_MAX = 2200;
const PHOTO_TITLE_MAX = 90;
const PHOTO_DESCRIPTION_MAX = 4000;
const PHOTO_COUNT_MAX = 35;

export function isObject(value: unknown): value is Json {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: unknown): value is number {
	return typeof value === 'number' && Number.isSafeInteger(value);
}

function optionalBoolean(info: Json, field: string): string | null {
	if (info[field] === undefined || typeof info[field] === 'boolean') return null;
	return `Invalid ${field}: must be a boolean`;
}

function requiredBoolean(info: Json, field: string): string | null {
	if (typeof info[field] === 'boolean') return null;
	return `Invalid ${field}: the field is required and must be a boolean`;
}

/** "UTF-16 runes" = UTF-16 code units = String.length (reference §4.1). */
function optionalText(info: Json, field: string, max: number): string | null {
	const value = info[field];
	if (value === undefined) return null;
	if (typeof value !== 'string') return `Invalid ${field}: must be a string`;
	if (value.length > max) return `Invalid ${field}: longer than ${max} UTF-16 units`;
	return null;
}

/** Unknown privacy values are invalid_params; a missing one is privacy_level_option_mismatch. */
function privacyEnum(info: Json): string | null {
	const value = info.privacy_level;
	if (value === undefined) return null;
	if (typeof value !== 'string' || !(PRIVACY_LEVELS as readonly string[]).includes(value)) {
		return 'Invalid privacy_level';
	}
	return null;
}

function firstError(...checks: Array<string | null>): string | null {
	return checks.find((check) => check !== null) ?? null;
}

export function videoPostInfoError(postInfo: unknown): string | null {
	if (!isObject(postInfo)) return POST_INFO_INVALID;
	return firstError(
		privacyEnum(postInfo),
		optionalText(postInfo, 'title', VIDEO_TITLE_MAX),
		optionalBoolean(postInfo, 'disable_duet'),
		optionalBoolean(postInfo, 'disable_stitch'),
		optionalBoolean(postInfo, 'disable_comment'),
		requiredBoolean(postInfo, 'brand_content_toggle'),
		optionalBoolean(postInfo, 'brand_organic_toggle'),
		optionalBoolean(postInfo, 'is_aigc'),
		postInfo.video_cover_timestamp_ms === undefined || isInteger(postInfo.video_cover_timestamp_ms)
			? null
			: 'Invalid video_cover_timestamp_ms: must be an integer',
	);
}

export function videoSourceInfoError(sourceInfo: unknown, megabyte: number): string | null {
	if (!isObject(sourceInfo)) return SOURCE_INFO_INVALID;
	if (sourceInfo.source === 'PULL_FROM_URL') {
		return validUrl(sourceInfo.video_url) ? null : 'Invalid video_url';
	}
	if (sourceInfo.source !== 'FILE_UPLOAD') return SOURCE_INFO_INVALID;
	const { video_size, chunk_size, total_chunk_count } = sourceInfo;
	if (!isInteger(video_size) || video_size < 1) return 'Invalid video_size';
	if (!isInteger(chunk_size) || chunk_size < 1) return 'The chunk size is invalid';
	if (!isInteger(total_chunk_count)) return 'The total chunk count is invalid';
	return chunkPlanError(
		{ videoSize: video_size, chunkSize: chunk_size, totalChunkCount: total_chunk_count },
		megabyte,
	);
}

export function photoBodyError(body: Json): string | null {
	if (body.media_type !== 'PHOTO') return MEDIA_TYPE_OR_MODE_INVALID;
	if (body.post_mode !== 'DIRECT_POST' && body.post_mode !== 'MEDIA_UPLOAD') {
		return MEDIA_TYPE_OR_MODE_INVALID;
	}
	const postInfo = body.post_info;
	if (!isObject(postInfo)) return POST_INFO_INVALID;
	const directOnly =
		body.post_mode === 'DIRECT_POST'
			? [
					privacyEnum(postInfo),
					optionalBoolean(postInfo, 'disable_comment'),
					optionalBoolean(postInfo, 'auto_add_music'),
					requiredBoolean(postInfo, 'brand_content_toggle'),
					requiredBoolean(postInfo, 'brand_organic_toggle'),
				]
			: [];
	return firstError(
		optionalText(postInfo, 'title', PHOTO_TITLE_MAX),
		optionalText(postInfo, 'description', PHOTO_DESCRIPTION_MAX),
		...directOnly,
		optionalBoolean(body, 'is_aigc'),
		photoSourceInfoError(body.source_info),
	);
}

function photoSourceInfoError(sourceInfo: unknown): string | null {
	if (!isObject(sourceInfo) || sourceInfo.source !== 'PULL_FROM_URL') return SOURCE_INFO_INVALID;
	const images = sourceInfo.photo_images;
	if (!Array.isArray(images) || images.length < 1 || images.length > PHOTO_COUNT_MAX) {
		return `Invalid photo_images: 1 to ${PHOTO_COUNT_MAX} URLs are required`;
	}
	if (!images.every(validUrl)) return 'Invalid photo_images: every entry must be a URL';
	const cover = sourceInfo.photo_cover_index;
	if (!isInteger(cover) || cover < 0 || cover >= images.length) {
		return 'Invalid photo_cover_index';
	}
	return null;
}

function validUrl(value: unknown): value is string {
	if (typeof value !== 'string' || value === '') return false;
	try {
		new URL(value);
		return true;
	} catch {
		return false;
	}
}
