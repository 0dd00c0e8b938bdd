/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// The README's templates (templates/*.json) in a real n8n: each imports as it is and uses only
// node types and versions this n8n knows; the TikTok half of each runs end to end against the
// emulator. Google and schedules are not reachable here, so the test starts each workflow from a
// webhook and stands in for Google's nodes with nodes that produce the same shape of data.
import { randomUUID } from 'crypto';
import { readFileSync, readdirSync, writeFileSync } from 'fs';
import { join } from 'path';

import { CREDENTIAL_ID, startNodeStack, type Json, type NodeStack } from './node-stack';
import { N8N_START_TIMEOUT_MS, type WorkflowJson } from './harness';
import { writeFileOfSize, type GeneratedFile } from './files';
import { startMediaServer, type MediaServer } from './media-server';
import { REPO_ROOT } from './package-install';

const TEMPLATES = join(REPO_ROOT, 'templates');
const MiB = 1024 * 1024;

const template = (name: string) => JSON.parse(readFileSync(join(TEMPLATES, name), 'utf8')) as WorkflowJson;

type WorkflowNode = Record<string, unknown> & { name: string; parameters: Record<string, unknown> };
const nodeNamed = (workflow: WorkflowJson, name: string) => workflow.nodes.find((node) => node.name === name) as WorkflowNode;

/** Puts a stand-in where a node was, under the same name, so the template's connections stay. */
function standIn(workflow: WorkflowJson, name: string, replacement: Partial<WorkflowNode>): void {
	const node = nodeNamed(workflow, name);
	for (const key of Object.keys(node)) if (!['id', 'name', 'position'].includes(key)) delete node[key];
	Object.assign(node, replacement);
}

/** The workflow's trigger becomes a webhook (same name); the TikTok node uses the emulator's credential. */
function runnable(workflow: WorkflowJson, trigger: string): { workflow: WorkflowJson; path: string } {
	const path = `template-${randomUUID()}`;
	standIn(workflow, trigger, {
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2.1,
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path, responseMode: 'onReceived', options: {} },
	});
	nodeNamed(workflow, 'TikTok').credentials = { tikTokOAuth2Api: { id: CREDENTIAL_ID, name: 'TikTok (emulator)' } };
	workflow.name = `${workflow.name} (${path})`;
	return { workflow, path };
}

describe('Templates (real n8n, emulator)', () => {
	let stack: NodeStack;
	let media: MediaServer;
	let video: GeneratedFile;

	beforeAll(async () => {
		stack = await startNodeStack({ name: 'templates' });
		video = await writeFileOfSize(join(stack.n8n.filesDir, 'episode.mp4'), 12 * MiB, 31);
		const feed = join(stack.n8n.filesDir, 'feed.xml');
		media = await startMediaServer({ 'episode.mp4': video.path, 'feed.xml': feed });
		writeFileSync(
			feed,
			`<?xml version="1.0"?><rss version="2.0"><channel><title>Show</title><link>https://example.com</link><description>Videos</description>` +
				`<item><title>Episode 2 #launch</title><link>https://example.com/2</link><guid>2</guid><enclosure url="${media.url('episode.mp4')}" length="${video.bytes}" type="video/mp4"/></item>` +
				`<item><title>Episode 1</title><link>https://example.com/1</link><guid>1</guid><enclosure url="${media.url('episode.mp4')}" length="${video.bytes}" type="video/mp4"/></item>` +
				`</channel></rss>`,
		);
	}, N8N_START_TIMEOUT_MS);

	afterAll(async () => {
		await media?.close();
		await stack?.stop();
	});

	beforeEach(async () => {
		await stack.reset();
	});

	async function finishedExecution(workflowId: string) {
		for (let attempt = 0; attempt < 240; attempt++) {
			const [newest] = await stack.n8n.listExecutions(workflowId, 1);
			if (newest && !['running', 'new', 'waiting'].includes(newest.status)) return await stack.n8n.getExecution(newest.id);
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`no finished execution of ${workflowId}`);
	}

	it('every template imports as it is, uses node types this n8n knows, and carries a setup note', async () => {
		// The editor's list of node types (needs the login the REST client holds).
		const known = (await stack.n8n.rest.raw('GET', '/types/nodes.json')).json as Array<{ name: string; version: number | number[] }>;
		const versions = new Map<string, number[]>();
		for (const type of known) versions.set(type.name, [...(versions.get(type.name) ?? []), ...[type.version].flat()]);
		const files = readdirSync(TEMPLATES).filter((file) => file.endsWith('.json'));
		expect(files.length).toBeGreaterThanOrEqual(3);
		for (const file of files) {
			const workflow = template(file);
			for (const node of workflow.nodes) {
				expect({ file, node: node.name, known: versions.get(String(node.type))?.includes(Number(node.typeVersion)) }).toEqual({
					file,
					node: node.name,
					known: true,
				});
			}
			expect(workflow.nodes.some((node) => node.type === 'n8n-nodes-base.stickyNote' && String((node.parameters as Json).content).length > 100)).toBe(true);
			const imported = await stack.n8n.importWorkflow(workflow, { activate: false });
			expect(imported.id).toBeTruthy();
		}
	}, 120_000);

	it('RSS feed → TikTok: the newest item\'s enclosure is streamed to TikTok as a draft', async () => {
		const { workflow, path } = runnable(template('rss-to-tiktok.json'), 'Every hour');
		nodeNamed(workflow, 'Read feed').parameters.url = media.url('feed.xml');
		const imported = await stack.n8n.importWorkflow(workflow, { activate: true });
		const mark = await stack.mark();
		await stack.n8n.runWebhook(path, {});
		const execution = await finishedExecution(imported.id);
		expect(execution.nodes.TikTok?.json).toHaveLength(1);
		expect(execution.nodes.TikTok.json[0]).toMatchObject({ post_mode: 'DRAFT', status: 'SEND_TO_USER_INBOX' });
		const { posts } = await stack.since(mark);
		expect(posts).toHaveLength(1);
		expect(posts[0].sha256).toBe(video.sha256);
	}, 120_000);

	it('Google Drive folder → TikTok draft: a file shaped like Drive\'s download becomes a draft', async () => {
		const { workflow, path } = runnable(template('google-drive-to-tiktok-draft.json'), 'New video in folder');
		// Drive's download gives the file as binary property "data" with its name and MIME type.
		standIn(workflow, 'Download video', {
			type: 'n8n-nodes-base.readWriteFile',
			typeVersion: 1.1,
			parameters: { fileSelector: video.path, options: {} },
		});
		const imported = await stack.n8n.importWorkflow(workflow, { activate: true });
		const mark = await stack.mark();
		await stack.n8n.runWebhook(path, {});
		const execution = await finishedExecution(imported.id);
		expect(execution.nodes.TikTok.json[0]).toMatchObject({ post_mode: 'DRAFT', source: 'FILE_UPLOAD' });
		expect((await stack.since(mark)).posts.map((post: Json) => post.sha256)).toEqual([video.sha256]);
	}, 120_000);

	it('Sheet rows → TikTok: each row posted once, its result (publish_id or the error) ready to write back', async () => {
		const { workflow, path } = runnable(template('sheet-rows-to-tiktok.json'), 'Every 15 minutes');
		standIn(workflow, 'Rows to post', {
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			parameters: { fieldToSplitOut: 'body.rows', options: {} },
		});
		standIn(workflow, 'Write result', { type: 'n8n-nodes-base.noOp', typeVersion: 1, parameters: {} });
		nodeNamed(workflow, 'Pace').parameters.amount = 0;
		const imported = await stack.n8n.importWorkflow(workflow, { activate: true });
		const mark = await stack.mark();
		const rows = [
			{ row_number: 2, video_url: media.url('episode.mp4'), caption: 'First', privacy: 'SELF_ONLY' },
			{ row_number: 3, video_url: media.url('episode.mp4'), caption: 'Second', privacy: 'everyone' },
			{ row_number: 4, video_url: media.url('episode.mp4'), caption: 'Third', privacy: 'SELF_ONLY' },
		];
		await stack.n8n.runWebhook(path, { rows });
		const execution = await finishedExecution(imported.id);
		const results = ((execution.data.resultData as Json).runData.Result as Json[]).map((run: Json) => run.data.main[0][0].json);
		expect(results.map((result: Json) => result.row_number)).toEqual([2, 3, 4]);
		expect(results[0]).toMatchObject({ status: 'posted', publish_id: expect.stringMatching(/^v_pub_file/) });
		expect(results[1].status).toMatch(/^failed: Privacy level "everyone" \(text\) is not valid/);
		expect(results[2]).toMatchObject({ status: 'posted' });
		const { posts } = await stack.since(mark);
		expect(posts).toHaveLength(2);
		expect(posts.map((post: Json) => post.post_info.title)).toEqual(['First', 'Third']);
	}, 180_000);
});
