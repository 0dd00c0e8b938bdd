/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The bad-input catalogue: what users really feed the node from spreadsheets and expressions
// (text for booleans, "10 MB" for numbers, objects, broken unicode, wrong files, unusable URLs),
// each run as a real workflow in n8n (Webhook → Split Out rows → [Read/Write Files →] TikTok, every
// parameter an expression on the row). Each entry proves the message the user sees and which
// TikTok calls were made: none for what can be judged locally, only creator_info for what needs the
// creator's live settings. A few accepted entries prove the refusals are not blanket.
// The catalogue is written to test-results/e2e/bad-input-catalogue.md for the README.
import { closeSync, ftruncateSync, mkdirSync, openSync, writeFileSync, writeSync } from 'fs';
import { join } from 'path';
import type { ConfigPatch } from '../emulator';
import { N8N_START_TIMEOUT_MS } from './harness';
import { startNodeStack, type Json, type NodeStack } from './node-stack';

const CREATOR_INFO = '/v2/post/publish/creator_info/query/';
const FOUR_GIB = 4 * 1024 ** 3;

/** A tiny MP4 whose moov/mvhd says `seconds` long (the node reads the duration from it). */
function mp4WithDuration(seconds: number): Buffer {
	const box = (type: string, payload: Buffer) => {
		const header = Buffer.alloc(8);
		header.writeUInt32BE(8 + payload.length, 0);
		header.write(type, 4, 'latin1');
		return Buffer.concat([header, payload]);
	};
	const mvhd = Buffer.alloc(100);
	mvhd.writeUInt32BE(1000, 12); // timescale
	mvhd.writeUInt32BE(seconds * 1000, 16); // duration
	return Buffer.concat([
		box('ftyp', Buffer.from('isom\0\0\x02\0isomiso2mp41', 'latin1')),
		box('moov', box('mvhd', mvhd)),
		box('mdat', Buffer.alloc(4096, 7)),
	]);
}

/** Files the rows point at (`file:<name>`), written to n8n's files folder before the suite. */
const FILES: Record<string, Buffer | string> = {
	'short.mp4': mp4WithDuration(30),
	'long.mp4': mp4WithDuration(600),
	'empty.mp4': '',
	'invoice.mp4': '%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n',
	'download.mp4': '<!DOCTYPE html><html><head><title>404 Not Found</title></head><body>Not Found</body></html>\n',
	'response.mov': '{"error":{"code":"not_found","message":"file not found"}}\n',
	'notes.txt': 'not a video\n',
	'thumbnail.mp4': Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.alloc(64)]),
};

type Row = Record<string, unknown>;
type Workflow = 'sheet-video-file' | 'sheet-video-url' | 'sheet-photo' | 'sheet-get-status';
/** none: refused before any request; creator_info: refused after reading the creator's settings; posted: accepted. */
type Calls = 'none' | 'creator_info' | 'posted';

interface Entry {
	/** What the user gives, as the catalogue shows it. */
	what: string;
	workflow: Workflow;
	/** Merged over the workflow's valid base row; `file:x` and `media:x` strings are resolved. */
	row: Row;
	error?: RegExp;
	hint?: RegExp;
	calls: Calls;
	creator?: ConfigPatch['creator'];
	/** Text that must appear nowhere in the item (a password from the URL). */
	secret?: string;
	/** For accepted entries: what TikTok must have received. */
	check?: (post: Json) => void;
}

const BASE: Record<Workflow, Row> = {
	'sheet-video-file': { file: 'file:short.mp4', privacy: 'SELF_ONLY' },
	'sheet-video-url': { url: 'media:video-3000000.mp4', privacy: 'SELF_ONLY' },
	'sheet-photo': { photos: ['media:photo-1.jpg', 'media:photo-2.jpg'], privacy: 'SELF_ONLY' },
	'sheet-get-status': { publishId: 'v_pub_file~v2-1.7123456789' },
};

const V = 'sheet-video-file';
const U = 'sheet-video-url';
const P = 'sheet-photo';
const S = 'sheet-get-status';

/** Refused before any request to TikTok. */
const refused = (what: string, workflow: Workflow, row: Row, error: RegExp, hint?: RegExp): Entry => ({
	what, workflow, row, error, hint, calls: 'none',
});
/** Refused after creator_info only: the creator's live settings decide. */
const refusedForCreator = (
	what: string, workflow: Workflow, row: Row, error: RegExp, hint?: RegExp, creator?: Entry['creator'],
): Entry => ({ what, workflow, row, error, hint, creator, calls: 'creator_info' });
/** Control entries: posted, with exactly what TikTok must receive. */
const accepted = (what: string, workflow: Workflow, row: Row, check: Entry['check']): Entry => ({
	what, workflow, row, check, calls: 'posted',
});

const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const mustBeBoolean = (label: string, shown: string) =>
	new RegExp(`^"${literal(label)}" must be true or false, but the value is ${literal(shown)}`);
const mustBeNumber = (label: string, shown: string) =>
	new RegExp(`^"${literal(label)}" must be a number, but the value is ${literal(shown)}`);
const notVideo = (looksLike: string) =>
	new RegExp(`^The file is not an MP4, MOV or WebM video: its content looks like ${literal(looksLike)}`);

const emojiCaption2200 = 'x'.repeat(2196) + '😀😀'; // 2196 + 2 × 2 UTF-16 units
const unicodeCaption = 'Tokyo 🇯🇵 family 👩‍👩‍👧‍👦 café (e\u0301) Ελληνικά עברית #launch';

const ENTRIES: Entry[] = [
	// Booleans from spreadsheets and code: only true/false, "true"/"false" and 1/0 are understood.
	refused('Allow Comments = "yes"', V, { allowComments: 'yes' },
		mustBeBoolean('Allow Comments', '"yes" (text)'), /"TRUE".*1 and 0/),
	refused('Allow Duet = "on"', V, { allowDuet: 'on' }, mustBeBoolean('Allow Duet', '"on" (text)')),
	refused('Allow Stitch = 2', V, { allowStitch: 2 }, mustBeBoolean('Allow Stitch', '2 (a number)')),
	refused('Disclose Commercial Content = {}', V, { commercial: {} },
		mustBeBoolean('Disclose Commercial Content', 'an object ({})')),
	refused('AI-Generated Content = ["true"]', V, { aigc: ['true'] },
		mustBeBoolean('AI-Generated Content', 'a list of 1 (["true"])')),
	refused('Your Brand = "Y" (commercial "TRUE")', P, { commercial: 'TRUE', yourBrand: 'Y' },
		mustBeBoolean('Your Brand', '"Y" (text)')),
	refused('Auto Add Music = "on" (photos)', P, { autoAddMusic: 'on' }, mustBeBoolean('Auto Add Music', '"on" (text)')),
	refused('Wait for Completion = "yes" (video URL)', U, { wait: 'yes' },
		mustBeBoolean('Wait for Completion', '"yes" (text)')),

	// Numbers: numeric text is fine; units, words, NaN, Infinity, fractions and out-of-range values are not.
	refused('Chunk Size (MB) = "10 MB"', V, { chunkSizeMb: '10 MB' },
		mustBeNumber('Chunk Size (MB)', '"10 MB" (text)'), /from 5 to 61 MiB/),
	refused('Chunk Size (MB) = "abc"', V, { chunkSizeMb: 'abc' }, mustBeNumber('Chunk Size (MB)', '"abc" (text)')),
	refused('Chunk Size (MB) = 70 (allowed 5–61)', V, { chunkSizeMb: 70 },
		/^"Chunk Size \(MB\)" is 70, outside the allowed range/, /from 5 to 61/),
	refused('Chunk Size (MB) = 10.5', V, { chunkSizeMb: 10.5 },
		/^"Chunk Size \(MB\)" must be a whole number, but the value is 10\.5/),
	refused('Chunk Size (MB) = "1e999" (Infinity as text)', V, { chunkSizeMb: '1e999' },
		mustBeNumber('Chunk Size (MB)', '"1e999" (text)')),
	refused('Cover Frame (Milliseconds) = -1', V, { coverMs: -1 },
		/^"Cover Frame \(Milliseconds\)" is -1, outside the allowed range/),
	refused('Wait Timeout (Minutes) = "5 min" (waiting on)', V, { wait: true, timeoutMinutes: '5 min' },
		mustBeNumber('Wait Timeout (Minutes)', '"5 min" (text)'), /minutes/),
	refused('Wait Timeout (Minutes) = -1 (waiting on)', U, { wait: 'true', timeoutMinutes: -1 },
		/^"Wait Timeout \(Minutes\)" is -1, outside the allowed range/),
	refused('Poll Interval (Seconds) = 0.5 (minimum 2)', P, { wait: 1, pollSeconds: 0.5 },
		/^"Poll Interval \(Seconds\)" is 0\.5, outside the allowed range/, /from 2 to 3600 seconds/),
	refused('Poll Interval (Seconds) = "NaN"', V, { wait: 'TRUE', pollSeconds: 'NaN' },
		mustBeNumber('Poll Interval (Seconds)', '"NaN" (text)')),
	// Get Status is a routed operation: its wait options must be checked before the status request too.
	refused('Get Status: Poll Interval (Seconds) = 0.5 (waiting on)', S, { wait: true, pollSeconds: 0.5 },
		/"Poll Interval \(Seconds\)" is 0\.5, outside the allowed range/),

	// Options and lists of the wrong shape.
	refused('Privacy = "public"', V, { privacy: 'public' },
		/^Privacy level "public" \(text\) is not valid/, /PUBLIC_TO_EVERYONE.*SELF_ONLY/),
	refused('Privacy = 3', U, { privacy: 3 }, /^Privacy level 3 \(a number\) is not valid/),
	refused('Privacy = {}', P, { privacy: {} }, /^Privacy level an object \(\{\}\) is not valid/),
	refused('Photo URLs = an object {"first":"https://…"}', P, { photos: { first: 'media:photo-1.jpg' } },
		/^The photo URL list contains an object .*which is not a URL/),
	refused('Photo URLs = 5', P, { photos: 5 }, /^The photo URL list contains 5 \(a number\), which is not a URL/),
	refused('Photo URLs = [url, {"src":"…"}]', P, { photos: ['media:photo-1.jpg', { src: 'media:photo-2.jpg' }] },
		/^The photo URL list contains an object \(\{"src":/),
	refused('Photo URLs = 36 URLs', P, { photos: Array.from({ length: 36 }, (_, i) => `media:photo-${i}.jpg`) },
		/^36 photo URLs were given, but TikTok allows at most 35/),
	refused('Cover Index = 2 with 2 photos', P, { cover: 2 },
		/^Cover index 2 \(a number\) does not point at one of the 2 photos/, /0-based/),
	refused('Publish ID = {} (Get Status)', S, { publishId: { id: 'v_pub_file~v2-1' } },
		/"Publish ID" must be text, but the value is an object/, /Map a text field/),
	refused('Publish ID = ["v_pub_…"] (Get Status)', S, { publishId: ['v_pub_file~v2-1'] },
		/"Publish ID" must be text, but the value is a list of 1/),
	refused('Caption = {} (object)', V, { caption: { text: 'hello' } }, /^"Caption" must be text, but the value is an object/),
	refused('Caption = true', U, { caption: true }, /^"Caption" must be text, but the value is true \(true\/false\)/),
	refused('Input Binary Field = {} (object)', V, { binaryProperty: { name: 'data' } },
		/^"Input Binary Field" must be text, but the value is an object/),
	refused('Input Binary Field = "video" (not on the item)', V, { binaryProperty: 'video' },
		/^The input item has no binary property "video"/, /one of: data/),

	// Sizes, counted as TikTok counts them (UTF-16 units for text).
	refused('a 0-byte .mp4', V, { file: 'file:empty.mp4' }, /^The video file is empty \(0 bytes\)/),
	refused('a 4 GiB + 1 byte .mp4', V, { file: 'file:huge.mp4' },
		/^The video is 4,294,967,297 bytes .* more than TikTok's 4 GB limit/, /under 4 GB/),
	refused('Caption of 2,201 characters', V, { caption: 'x'.repeat(2201) },
		/^Caption is 2201 characters long, but TikTok allows at most 2200/, /by at least 1 character/),
	refused('Caption of 1 MB (1,048,576 characters)', U, { caption: 'y'.repeat(1024 * 1024) },
		/^Caption is 1048576 characters long, but TikTok allows at most 2200/),
	refused('Caption of 1,099 emoji + 3 letters (2,201 UTF-16 units)', V, { caption: 'abc' + '😀'.repeat(1099) },
		/^Caption is 2201 characters long/, /emoji count as 2/),
	accepted('Caption of exactly 2,200 UTF-16 units (2,196 letters + 2 emoji); "TRUE", "0", "10", "" as text', V,
		{ caption: emojiCaption2200, allowComments: 'TRUE', allowDuet: '0', chunkSizeMb: '10', coverMs: '' },
		(post) => expect(post.post_info).toMatchObject({ title: emojiCaption2200, disable_comment: false, disable_duet: true })),
	refused('Photo title of 91 characters', P, { title: 't'.repeat(91) },
		/^Title is 91 characters long, but TikTok allows at most 90/),
	refused('Photo description of 4,001 characters', P, { description: 'd'.repeat(4001) },
		/^Description is 4001 characters long, but TikTok allows at most 4000/),

	// Encodings: JSON cannot carry NUL or half an emoji to TikTok intact.
	refused('Caption containing NUL (\\u0000)', V, { caption: 'launch\u0000day' },
		/^"Caption" contains a NUL character \(\\u0000\) at position 7/),
	refused('Caption with a lone surrogate (\'😀\'.slice(0, 1))', U, { caption: `new ${'😀'.slice(0, 1)}` },
		/^"Caption" contains half of an emoji \(an unpaired UTF-16 surrogate\) at position 5/, /Array\.from/),
	refused('Photo title cut in the middle of an emoji', P, { title: 'Launch 🚀'.slice(0, -1) },
		/^"Title" contains half of an emoji .* at position 8/),
	accepted('Caption with flags, ZWJ family emoji, combining marks, Greek, Hebrew', V, { caption: unicodeCaption },
		(post) => expect(post.post_info.title).toBe(unicodeCaption)),

	// Media the node can tell is wrong from the file's first bytes, its type, or the URL alone.
	refused('a PDF named .mp4', V, { file: 'file:invoice.mp4' }, notVideo('a PDF document')),
	refused('an HTML error page named .mp4', V, { file: 'file:download.mp4' }, notVideo('an HTML or XML page')),
	refused('JSON text named .mov', V, { file: 'file:response.mov' }, notVideo('JSON text')),
	refused('a PNG named .mp4', V, { file: 'file:thumbnail.mp4' }, notVideo('a PNG image')),
	refused('a .txt file', V, { file: 'file:notes.txt' },
		/^TikTok does not accept this file as a video \(type "text\/plain", extension "\.txt"\)/, /MP4/),
	refused('Video URL http://media.example.com/a.mp4', U, { url: 'http://media.example.com/a.mp4' },
		/^Video URL uses "http", but TikTok only downloads https links/),
	refused('Video URL https://203.0.113.7/a.mp4 (IP address)', U, { url: 'https://203.0.113.7/a.mp4' },
		/^Video URL points at the IP address 203\.0\.113\.7/),
	refused('Video URL https://[2001:db8::1]/a.mp4 (IPv6)', U, { url: 'https://[2001:db8::1]/a.mp4' },
		/^Video URL points at the IP address/),
	refused('Video URL ftp://media.example.com/a.mp4', U, { url: 'ftp://media.example.com/a.mp4' }, /^Video URL uses "ftp"/),
	{
		...refused('Video URL https://user:s3cret@media.example.com/a.mp4', U,
			{ url: 'https://user:s3cret@media.example.com/a.mp4' }, /^Video URL contains a user name or password$/),
		secret: 's3cret',
	},
	refused('Video URL /videos/a.mp4 (relative)', U, { url: '/videos/a.mp4' },
		/^Video URL "\/videos\/a\.mp4" \(text\) is not a valid absolute URL/),
	refused('Photo URLs with one http:// entry', P, { photos: ['media:photo-1.jpg', 'http://media.example.com/2.jpg'] },
		/^Photo URL 2 uses "http", but TikTok only downloads https links/),

	// Only the creator's live settings can tell: one creator_info call, then refused before init.
	refusedForCreator('Privacy = FOLLOWER_OF_CREATOR (not offered to this account)', V, { privacy: 'FOLLOWER_OF_CREATOR' },
		/^Privacy level FOLLOWER_OF_CREATOR is not available for the TikTok account @emulator\.creator/,
		/PUBLIC_TO_EVERYONE.*SELF_ONLY/),
	refusedForCreator('Photos: Privacy = follower_of_creator (not offered)', P, { privacy: 'follower_of_creator' },
		/^Privacy level FOLLOWER_OF_CREATOR is not available/),
	// The hint must name the switch as the node shows it.
	refusedForCreator('Allow Comments = true, creator turned comments off', U, { allowComments: true },
		/^The TikTok account has turned off comments/, /"Allow Comments"/i, { commentDisabled: true }),
	refusedForCreator('Allow Duet = 1, creator turned duets off', V, { allowDuet: 1 },
		/^The TikTok account has turned off duets/, /"Allow Duet"/i, { duetDisabled: true }),
	refusedForCreator('a 10-minute video, creator may post 5 minutes', V, { file: 'file:long.mp4' },
		/^The video is 10 min 0 s long, but @emulator\.creator can post videos of at most 5 min 0 s/, /300 seconds/),
];

/** `file:x` → a path in n8n's files folder, `media:x` → the emulator's https media URL; recursively. */
function resolve(value: unknown, stack: NodeStack): unknown {
	if (typeof value === 'string' && value.startsWith('file:')) return join(stack.n8n.filesDir, value.slice(5));
	if (typeof value === 'string' && value.startsWith('media:')) return stack.emulator.mediaUrl(value.slice(6));
	if (Array.isArray(value)) return value.map((item) => resolve(item, stack));
	if (value && typeof value === 'object') {
		return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, resolve(item, stack)]));
	}
	return value;
}

/** The calls TikTok saw, short: "none", or "creator_info/query, video/init, upload PUT ×1". */
function describeCalls(requests: Json[]): string {
	if (requests.length === 0) return 'none';
	const counts = new Map<string, number>();
	for (const request of requests) {
		const path = String(request.path).split('?')[0];
		const name = path === '/video/' ? `upload ${request.method}` : path.replace(/^\/v2\/post\/publish\//, '');
		counts.set(name, (counts.get(name) ?? 0) + 1);
	}
	return [...counts].map(([name, count]) => (count > 1 ? `${name} ×${count}` : name)).join(', ');
}

const cell = (text: string) => text.replace(/[\r\n]+/g, ' ').replace(/\|/g, '\\|');

interface Observed {
	message: string;
	calls: string;
}

describe('Bad-input catalogue (real n8n, emulator)', () => {
	let stack: NodeStack;
	const observed = new Map<number, Observed>();
	const notes: string[] = [];

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'node-bad-input' });
		mkdirSync(stack.n8n.filesDir, { recursive: true });
		for (const [name, content] of Object.entries(FILES)) writeFileSync(join(stack.n8n.filesDir, name), content);
		// Sparse: an MP4 header, then a hole up to 4 GiB + 1 byte; no disk space is used here
		// (n8n's binary store does copy it, in full, when Read/Write Files ingests it).
		const huge = openSync(join(stack.n8n.filesDir, 'huge.mp4'), 'w');
		writeSync(huge, mp4WithDuration(30));
		ftruncateSync(huge, FOUR_GIB + 1);
		closeSync(huge);
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await stack?.stop();
		// Only a full run writes the catalogue (a run filtered with -t would blank most rows).
		if (observed.size < ENTRIES.length) return;
		const rows = ENTRIES.map((entry, index) => {
			const seen = observed.get(index) as Observed;
			return `| ${index + 1} | ${cell(entry.what)} | ${cell(seen.message.slice(0, 160))} | ${seen.calls} |`;
		});
		const lines = [
			'# Bad-input catalogue',
			'',
			'Generated by `test/e2e/node-bad-input.test.ts`: each row is one workflow run in n8n 2.41.1 (Webhook → Split Out',
			'rows → [Read/Write Files →] TikTok, every parameter an expression on the row) against the TikTok emulator.',
			'"none" means the emulator received no request at all.',
			'',
			'| # | what the user gives | message the user sees (first 160 chars) | TikTok calls made |',
			'|---|---|---|---|',
			...rows,
			'',
			...notes,
			'',
		];
		const dir = join(__dirname, '..', '..', 'test-results', 'e2e');
		mkdirSync(dir, { recursive: true });
		writeFileSync(join(dir, 'bad-input-catalogue.md'), lines.join('\n'));
	});

	beforeEach(async () => {
		await stack.reset();
	});

	it.each(ENTRIES.map((entry, index) => [index + 1, entry.what, entry] as const))(
		'%i. %s',
		async (number, _what, entry) => {
			// After the full reset of beforeEach, so only this field differs from the pristine creator.
			if (entry.creator) await stack.reset({ creator: entry.creator });
			const row = resolve({ ...BASE[entry.workflow], ...entry.row }, stack);
			const mark = await stack.mark();
			const started = Date.now();
			const { status, items, text } = await stack.run(`node-${entry.workflow}`, { rows: [row] });
			const ms = Date.now() - started;
			const after = await stack.since(mark);
			const item: Json = items[0] ?? {};
			// Recorded before the assertions, so a failing entry shows in the catalogue as it behaved.
			observed.set(number - 1, {
				message: entry.calls === 'posted' && !item.error ? `(accepted: posted ${item.publish_id})` : String(item.error ?? text),
				calls: describeCalls(after.requests),
			});
			if (entry.row.file === 'file:huge.mp4') notes.push(await ingestionNote(stack, number, ms));

			expect(status).toBe(200);
			expect(items).toHaveLength(1);
			if (entry.calls === 'posted') {
				expect(item.error).toBeUndefined();
				expect(item.publish_id).toEqual(expect.any(String));
				expect(after.posts).toHaveLength(1);
				entry.check?.(after.posts[0]);
				return;
			}
			expect(item.error).toMatch(entry.error as RegExp);
			if (entry.hint) expect(item.hint).toMatch(entry.hint);
			if (entry.secret) expect(JSON.stringify(item)).not.toContain(entry.secret);
			expect(item.code).toBe('invalid_input');
			expect(after.posts).toEqual([]);
			expect(after.requests.filter((r: Json) => String(r.path).endsWith('/init/'))).toEqual([]);
			if (entry.calls === 'none') {
				// Nothing at all: no creator_info, no token refresh, no upload.
				expect(after.requests).toEqual([]);
			} else {
				expect(after.requests.map((r: Json) => `${r.method} ${r.path}`)).toEqual([`POST ${CREATOR_INFO}`]);
			}
		},
		120_000,
	);
});

/**
 * How long each node of the last execution took: the 4 GiB entry is almost all Read/Write Files
 * copying the (sparse) file into n8n's binary store; the TikTok node refuses it from the metadata.
 */
async function ingestionNote(stack: NodeStack, number: number, totalMs: number): Promise<string> {
	const execution = await stack.n8n.lastExecution();
	const runData: Record<string, Json[]> = (execution.data as Json)?.resultData?.runData ?? {};
	const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
	const times = Object.entries(runData).map(([name, runs]) => `${name} ${seconds(runs[0]?.executionTime)}`);
	const note = `Entry ${number} (4 GiB + 1 byte): the workflow run took ${seconds(totalMs)} (${times.join(', ')}).`;
	// eslint-disable-next-line no-console
	console.log(note);
	return note;
}
