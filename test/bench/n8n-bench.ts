/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- test code runs in Node.js, not inside n8n */
// One real n8n for one benchmark scenario: the built package installed as a community package,
// an OAuth2 credential pointing at the emulator process, and the bench workflow
// (Webhook → Split Out → Read/Write Files → Wait → TikTok Post Video) published as a webhook. The
// Wait node ("Start Together") waits until the body's `startAt` (bench:concurrent's binary row
// starts its uploads at one instant with it); without one it goes straight on.
import { readFileSync, rmSync } from 'fs';
import { request } from 'http';
import { join } from 'path';
import { setTimeout as sleep } from 'timers/promises';
import { startN8n, type N8nInstance, type WorkflowJson } from '../e2e/harness';
import { emulatorOAuth2Credential } from '../e2e/node-stack';
import type { EmulatorProcess, Json } from './emulator-process';

const CREDENTIAL_ID = 'tiktok-oauth-bench';
const WEBHOOK_PATH = 'bench-post-video';
export const TIKTOK_NODE = 'TikTok';
const READ_NODE = 'Read Video File';
const WEBHOOK_REGISTRATION_WAIT_MS = 30_000;

export interface BenchN8n {
	n8n: N8nInstance;
	workflowId: string;
	/** Runs the workflow once for these files (one item each) and reports the TikTok node's run. */
	post(files: string[], chunkSizeMb: number, timeoutMs: number): Promise<WorkflowRun>;
	stop(): Promise<void>;
}

export interface NodeTiming {
	/** Epoch ms, n8n's clock (same machine). */
	startTime: number;
	executionMs: number;
}

export interface WorkflowRun {
	executionId: string;
	tiktok: NodeTiming;
	read: NodeTiming;
	/** The TikTok node's output items (publish_id, chunk_size, total_chunk_count, …). */
	items: Json[];
}

export async function startBenchN8n(
	emulator: EmulatorProcess,
	options: { name: string; filesDir: string; logFile: string; env?: Record<string, string>; nodeArgs?: string[]; packageDir?: string },
): Promise<BenchN8n> {
	const tokens = await emulator.control('tokens', {});
	const n8n = await startN8n({
		name: options.name,
		logFile: options.logFile,
		packageDir: options.packageDir,
		nodeArgs: options.nodeArgs,
		// The generated videos live in one folder shared by every scenario's n8n.
		env: { N8N_RESTRICT_FILE_ACCESS_TO: options.filesDir, ...options.env },
		credentials: [emulatorOAuth2Credential(CREDENTIAL_ID, 'TikTok (bench emulator)', emulator.url, tokens)],
	});
	try {
		await n8n.login();
		const workflow = JSON.parse(readFileSync(join(__dirname, 'workflows', 'bench-post-video.json'), 'utf8')) as WorkflowJson;
		const { id: workflowId } = await n8n.importWorkflow(workflow);
		return {
			n8n,
			workflowId,
			post: (files, chunkSizeMb, timeoutMs) => post(n8n, workflowId, files, chunkSizeMb, timeoutMs),
			stop: () => n8n.stop(),
		};
	} catch (error) {
		await n8n.stop();
		throw error;
	}
}

async function post(
	n8n: N8nInstance,
	workflowId: string,
	files: string[],
	chunkSizeMb: number,
	timeoutMs: number,
): Promise<WorkflowRun> {
	const body = { files: files.map((file) => ({ file })), chunkSizeMb };
	const response = await callWebhook(`${n8n.baseUrl}/webhook/${WEBHOOK_PATH}`, body, timeoutMs);
	const [newest] = await n8n.listExecutions(workflowId, 1);
	if (!newest) throw new Error(`webhook answered ${response.status} but no execution was recorded`);
	const execution = await n8n.getExecution(newest.id);
	// The copies Read/Write Files made in n8n's binary storage are gigabytes: drop them now.
	rmSync(join(n8n.n8nFolder, 'storage', 'workflows', workflowId, 'executions', newest.id), {
		recursive: true,
		force: true,
	});
	if (response.status !== 200 || execution.status !== 'success') {
		const error = execution.error ?? execution.nodes[TIKTOK_NODE]?.error;
		throw new Error(`workflow failed (HTTP ${response.status}, ${execution.status}): ${JSON.stringify(error ?? response.text).slice(0, 600)}`);
	}
	const runData = (execution.data as { resultData: { runData: Record<string, Array<{ startTime: number; executionTime: number }>> } })
		.resultData.runData;
	const timing = (node: string): NodeTiming => {
		const run = runData[node]?.[0];
		if (!run) throw new Error(`execution ${newest.id} has no run of node "${node}"`);
		return { startTime: run.startTime, executionMs: run.executionTime };
	};
	return {
		executionId: newest.id,
		tiktok: timing(TIKTOK_NODE),
		read: timing(READ_NODE),
		items: execution.nodes[TIKTOK_NODE]?.json ?? [],
	};
}

/**
 * n8n registers a published workflow's webhook shortly after the activation call returns, so
 * the first call may find it missing (404): retry that case only, for a bounded time.
 */
async function callWebhook(url: string, body: unknown, timeoutMs: number): Promise<{ status: number; text: string }> {
	const deadline = Date.now() + WEBHOOK_REGISTRATION_WAIT_MS;
	for (;;) {
		const response = await postJson(url, body, timeoutMs);
		if (response.status !== 404 || !response.text.includes('not registered') || Date.now() > deadline) return response;
		await sleep(250);
	}
}

/** A webhook call that may take minutes (n8n answers when the last node is done). */
function postJson(url: string, body: unknown, timeoutMs: number): Promise<{ status: number; text: string }> {
	return new Promise((resolve, reject) => {
		const payload = Buffer.from(JSON.stringify(body));
		const req = request(
			url,
			{ method: 'POST', timeout: timeoutMs, headers: { 'content-type': 'application/json', 'content-length': payload.length } },
			(res) => {
				let text = '';
				res.setEncoding('utf8');
				res.on('data', (part: string) => (text = (text + part).slice(0, 100_000)));
				res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
				res.on('error', reject);
			},
		);
		req.on('timeout', () => req.destroy(new Error(`webhook did not answer within ${timeoutMs} ms`)));
		req.on('error', reject);
		req.end(payload);
	});
}
