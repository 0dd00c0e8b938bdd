import type { IExecuteFunctions } from 'n8n-workflow';

import { assertVideoSize, type ChunkPlan } from '../../shared/chunkPlan';
import { readAheadWhenAssembled, sliceIntoChunks } from '../../shared/chunkStream';
import { InputError } from '../../shared/inputError';
import { videoContentType } from '../../shared/mediaTypes';
import { describeValue } from '../../shared/parameters';
import { parseUrl } from '../../shared/validation';
import { downloadMedia, probeMedia } from '../../transport/mediaDownload';
import type { BinaryVideo } from './binaryVideo';

/**
 * "URL, Uploaded in Chunks": n8n reads the video from any http(s) URL and streams it to TikTok in
 * the planned chunks (at most two in memory), writing nothing to n8n's binary storage. Unlike
 * TikTok's own pull, the URL needs no domain verification, and it works in queue mode, where
 * binary data otherwise sits whole in the worker's memory.
 */
export async function openUrlVideo(this: IExecuteFunctions, url: string): Promise<BinaryVideo> {
	const media = await probeMedia(this, url);
	assertVideoSize(media.size);
	const fileName = decodeURIComponent(new URL(url).pathname.split('/').pop() ?? '');
	return {
		size: media.size,
		contentType: videoContentType(media.contentType, fileName),
		fileName,
		// Network pieces are small: they are assembled into chunks and read one chunk ahead.
		chunks: (plan: ChunkPlan) => readAheadWhenAssembled(sliceIntoChunks(downloadMedia(this, media), plan)),
	};
}

/** An absolute http(s) URL n8n can read; credentials in it are refused (they would end up in logs). */
export function assertDownloadUrl(value: unknown, fieldLabel: string): string {
	const hint = 'Give the full link to the video file, starting with https:// or http://, that n8n can download without signing in (a public or pre-signed link).';
	if (typeof value !== 'string' || value.trim() === '') {
		throw new InputError(`${fieldLabel} ${value === '' || value === undefined || value === null ? 'is empty' : `must be text, but the value is ${describeValue(value)}`}`, hint);
	}
	const text = value.trim();
	const parsed = parseUrl(text);
	if (!parsed) throw new InputError(`${fieldLabel} ${describeValue(text)} is not a valid absolute URL`, hint);
	if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
		throw new InputError(`${fieldLabel} uses "${parsed.protocol.replace(/:$/, '')}", but n8n can only download http(s) links`, hint);
	}
	if (parsed.username !== '' || parsed.password !== '') {
		throw new InputError(
			`${fieldLabel} contains a user name or password`,
			'Remove them from the link: use a pre-signed or public link instead (credentials in a URL end up in logs and error messages).',
		);
	}
	return text;
}
