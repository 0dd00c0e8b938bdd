/* eslint-disable @n8n/community-nodes/node-usable-as-tool -- bench-only stand-in, never published */
// The simplest correct chunked upload a node can do inside n8n, as a reference for the benchmark: what
// n8n itself costs a node, apart from anything our node adds. No creator info, no retries, no checks,
// no read-ahead of its own: every line the real node has beyond this is what the bench weighs. The
// bench builds it into a copy of the package (same name, node type and parameters) so the bench
// workflows run it unchanged.
// - Binary source: it reads n8n's binary stream in pieces of one chunk (as n8n's Google Drive node
//   does), PUTs each piece as it comes with n8n's httpRequest, joins only the final chunk (which
//   absorbs the remainder), and frees each piece once sent (FREE_SENT_PIECES).
// - URL source ("urlUpload"): the size from a HEAD, then one GET streamed through n8n's httpRequest;
//   the pieces of each chunk are joined once a chunk's worth has arrived, freed, and the chunk PUT
//   and freed before the download goes on.
import { NodeConnectionTypes, type IExecuteFunctions, type INodeExecutionData, type INodeType, type INodeTypeDescription } from 'n8n-workflow';
import { contentRange, planChunks } from '../../../nodes/TikTok/shared/chunkPlan';

const MiB = 1024 * 1024;
/**
 * Frees each piece's memory once TikTok has it (ArrayBuffer.transfer, as the real node does), instead
 * of leaving it to n8n's garbage collector. False is the plain version of the Google Drive node's loop:
 * measured at 1 GiB, it cost n8n 4.1 s/GiB (10 MiB chunks) and 4.9 s/GiB (32 MiB), most of it V8's
 * full collections of n8n's heap on its worker threads, with RSS +272 and +319 MiB.
 */
const FREE_SENT_PIECES = true;

function free(piece: Buffer): void {
	const arrayBuffer = piece.buffer as ArrayBuffer & { transfer?: (length: number) => ArrayBuffer };
	if (FREE_SENT_PIECES && piece.byteOffset === 0 && piece.byteLength === arrayBuffer.byteLength) arrayBuffer.transfer?.(0);
}

export class TikTok implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'TikTok',
		name: 'tikTok',
		// Relative to where build.ts puts this file: the package's own dist/nodes/TikTok/.
		// eslint-disable-next-line @n8n/community-nodes/icon-validation
		icon: { light: 'file:../../icons/tiktok.svg', dark: 'file:../../icons/tiktok.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: 'bench reference',
		description: 'Bench reference: the simplest chunked upload',
		defaults: { name: 'TikTok' },
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'tikTokOAuth2Api', required: true }],
		properties: [
			{ displayName: 'Video Source', name: 'videoSource', type: 'string', default: 'binary' },
			{ displayName: 'Binary Property', name: 'binaryPropertyName', type: 'string', default: 'data' },
			{ displayName: 'Video URL', name: 'videoUrl', type: 'string', default: '' },
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				default: {},
				options: [{ displayName: 'Chunk Size (MiB)', name: 'chunkSizeMb', type: 'number', default: 10 }],
			},
		],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const credentials = await this.getCredentials('tikTokOAuth2Api');
		const base = String(credentials.apiBaseUrl).replace(/\/+$/, '');
		const output: INodeExecutionData[] = [];
		for (let itemIndex = 0; itemIndex < this.getInputData().length; itemIndex++) {
			const chunkMiB = Number((this.getNodeParameter('options', itemIndex) as { chunkSizeMb?: unknown }).chunkSizeMb ?? 10);
			const fromUrl = this.getNodeParameter('videoSource', itemIndex) === 'urlUpload';
			const url = fromUrl ? String(this.getNodeParameter('videoUrl', itemIndex)) : '';
			const binaryId = fromUrl ? undefined : this.getInputData()[itemIndex].binary?.[this.getNodeParameter('binaryPropertyName', itemIndex) as string]?.id;
			if (!fromUrl && !binaryId) throw new Error('the bench reference node reads binary data from n8n storage only');
			// The media server is the user's, not TikTok's: nothing to authenticate (as in the real node).
			const fetchMedia = async (options: { method: 'HEAD' | 'GET'; encoding?: 'stream' }) =>
				(await this.helpers.httpRequest({ ...options, url, returnFullResponse: true })) as { headers: Record<string, string>; body: AsyncIterable<Buffer> };
			const fileSize = binaryId ? (await this.helpers.getBinaryMetadata(binaryId)).fileSize : Number((await fetchMedia({ method: 'HEAD' })).headers['content-length']);
			const plan = planChunks(fileSize, chunkMiB * MiB);
			const init = (await this.helpers.httpRequestWithAuthentication.call(this, 'tikTokOAuth2Api', {
				method: 'POST',
				url: `${base}/v2/post/publish/video/init/`,
				body: {
					post_info: { title: 'bench reference', privacy_level: 'SELF_ONLY', brand_content_toggle: false, brand_organic_toggle: false },
					source_info: { source: 'FILE_UPLOAD', video_size: plan.videoSize, chunk_size: plan.chunkSize, total_chunk_count: plan.totalChunkCount },
				},
				json: true,
			})) as { data: { publish_id: string; upload_url: string } };
			let index = 0;
			const put = async (body: Buffer) => {
				const chunk = plan.chunks[index++];
				const response = await this.helpers.httpRequest({
					method: 'PUT',
					url: init.data.upload_url,
					body,
					headers: { 'Content-Type': 'video/mp4', 'Content-Length': String(chunk.length), 'Content-Range': contentRange(chunk, plan.videoSize) },
					returnFullResponse: true,
					ignoreHttpStatusErrors: true,
					json: false,
				});
				if (response.statusCode !== 206 && response.statusCode !== 201) throw new Error(`chunk ${chunk.index}: HTTP ${response.statusCode}`);
			};
			const stream = binaryId
				? await this.helpers.getBinaryStream(binaryId, plan.chunkSize)
				: (await fetchMedia({ method: 'GET', encoding: 'stream' })).body;
			let held: Buffer[] = [];
			let heldBytes = 0;
			for await (const piece of stream as AsyncIterable<Buffer>) {
				const beforeLast = index < plan.totalChunkCount - 1;
				if (beforeLast && heldBytes === 0 && piece.length === plan.chunkSize) {
					// A piece that is a whole chunk (binary storage read at the chunk size): sent as read.
					await put(piece);
					free(piece);
					continue;
				}
				held.push(piece);
				heldBytes += piece.length;
				if (beforeLast && heldBytes >= plan.chunkSize) {
					// Smaller pieces (a download): join a chunk's worth, send it; the excess starts the next one.
					const joined = Buffer.concat(held, heldBytes);
					held.forEach(free);
					const excess = Buffer.from(joined.subarray(plan.chunkSize));
					await put(joined.subarray(0, plan.chunkSize));
					free(joined);
					held = excess.length ? [excess] : [];
					heldBytes = excess.length;
				}
			}
			// The final chunk: the rest of the file.
			const last = Buffer.concat(held, heldBytes);
			held.forEach(free);
			await put(last);
			free(last);
			output.push({
				json: { publish_id: init.data.publish_id, chunk_size: plan.chunkSize, total_chunk_count: plan.totalChunkCount },
				pairedItem: { item: itemIndex },
			});
		}
		return [output];
	}
}
