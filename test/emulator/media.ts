// Generated media for PULL_FROM_URL tests, served under the emulator's own verified prefix:
// GET /__emulator/media/video-<bytes>.mp4 and /__emulator/media/photo-<n>.jpg. Content is
// deterministic and streamed block by block (a multi-GB video costs no memory).
// `?delayMs=<n>` waits before answering, so a download can be caught in progress.
import { createHash } from 'crypto';
import { respond, type RequestContext } from './http';

const BLOCK = 64 * 1024;
const MAX_VIDEO_BYTES = 8 * 1024 ** 3;
const MAX_DELAY_MS = 60_000;
// An ISO-BMFF "ftyp" box: the file starts like a real MP4.
const FTYP = Buffer.from('000000186674797069736f6d0000020069736f6d6d703431', 'hex');

const baseBlock = (() => {
	const block = Buffer.alloc(BLOCK);
	let seed = createHash('sha256').update('tiktok-emulator-media').digest();
	for (let offset = 0; offset < BLOCK; offset += seed.length) {
		seed.copy(block, offset);
		seed = createHash('sha256').update(seed).digest();
	}
	return block;
})();

/** Block k of a generated video: the base block stamped with k, so blocks differ. */
function videoBlock(index: number): Buffer {
	const block = Buffer.from(baseBlock);
	if (index === 0) FTYP.copy(block, 0);
	else block.writeUInt32BE(index, 0);
	return block;
}

function photoBytes(n: number): Buffer {
	const body = Buffer.alloc(4096 + n * 16, n & 0xff);
	baseBlock.copy(body, 0, 0, Math.min(body.length, BLOCK));
	// JPEG SOI + APP0 "JFIF" marker at the start, EOI at the end.
	Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex').copy(body, 0);
	body.writeUInt16BE(0xffd9, body.length - 2);
	return body;
}

export async function serveMedia(ctx: RequestContext): Promise<void> {
	const name = ctx.url.pathname.slice('/__emulator/media/'.length);
	const video = /^video-(\d+)\.mp4$/.exec(name);
	const photo = /^photo-(\d+)\.jpg$/.exec(name);
	const size = video ? Number(video[1]) : 0;
	if ((!video && !photo) || size > MAX_VIDEO_BYTES || (photo && Number(photo[1]) > 1000)) {
		return respond(ctx, 404, { 'content-type': 'text/plain' }, 'no such media');
	}
	const delayMs = Math.min(Number(ctx.url.searchParams.get('delayMs') ?? 0) || 0, MAX_DELAY_MS);
	if (delayMs > 0) await ctx.emulator.sleep(delayMs);
	if (ctx.res.destroyed) return;
	if (ctx.dropBeforeResponse) return respond(ctx, 200, {});
	if (photo) {
		const body = photoBytes(Number(photo[1]));
		const head = ctx.req.method === 'HEAD';
		ctx.res.writeHead(200, {
			'content-type': 'image/jpeg',
			'content-length': body.length,
			'x-tt-logid': ctx.logId,
		});
		if (ctx.log) ctx.log.status = 200;
		ctx.res.end(head ? undefined : body);
		return;
	}
	ctx.res.writeHead(200, {
		'content-type': 'video/mp4',
		'content-length': size,
		'x-tt-logid': ctx.logId,
	});
	if (ctx.log) ctx.log.status = 200;
	if (ctx.req.method === 'HEAD') return void ctx.res.end();
	streamVideo(ctx, size);
}

function streamVideo(ctx: RequestContext, size: number): void {
	let sent = 0;
	let index = 0;
	const pump = () => {
		while (sent < size && !ctx.res.destroyed) {
			const block = videoBlock(index++);
			const part = size - sent < BLOCK ? block.subarray(0, size - sent) : block;
			sent += part.length;
			if (!ctx.res.write(part)) return void ctx.res.once('drain', pump);
		}
		if (!ctx.res.destroyed) ctx.res.end();
	};
	pump();
}
