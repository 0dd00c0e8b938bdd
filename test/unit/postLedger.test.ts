// The ledger that keeps a re-run of the node (Retry On Fail, a retried execution) from posting an
// item twice. It lives in n8n's node context; here a plain object stands in for it.
import type { IExecuteFunctions, INode } from 'n8n-workflow';

import { PostLedger } from '../../nodes/TikTok/actions/common/postLedger';
import { TikTokNodeError } from '../../nodes/TikTok/transport/tiktokError';

const node = { name: 'TikTok', type: 'n8n-nodes-tiktok-posting.tikTok', typeVersion: 1, parameters: {} } as unknown as INode;

function context(nodeContext: Record<string, unknown> = {}, runIndex = 0) {
	return {
		getNode: () => node,
		getContext: () => nodeContext,
		getWorkflowDataProxy: () => ({ $thisRunIndex: runIndex }),
	} as unknown as IExecuteFunctions;
}

const failure = (extra: Record<string, unknown>) =>
	new TikTokNodeError(node, { code: 'x', message: 'failed', hint: 'Do this.', ...extra });

describe('PostLedger', () => {
	it('replays a posted item\'s output in a later attempt of the same run', () => {
		const store = {};
		PostLedger.open(context(store)).posted(0, { publish_id: 'p1' });
		expect(PostLedger.open(context(store)).replay(context(store), 0)).toEqual({ publish_id: 'p1' });
		expect(PostLedger.open(context(store)).replay(context(store), 1)).toBeUndefined();
	});

	it('keeps runs of the node apart (a loop posts each run\'s items)', () => {
		const store = {};
		PostLedger.open(context(store, 0)).posted(0, { publish_id: 'p1' });
		expect(PostLedger.open(context(store, 1)).replay(context(store, 1), 0)).toBeUndefined();
	});

	it('forgets an item whose post request TikTok refused, so a re-run posts it once', () => {
		const store = {};
		const ledger = PostLedger.open(context(store));
		ledger.sending(0);
		ledger.failed(0, failure({ httpStatus: 403, code: 'spam_risk_too_many_posts' }));
		expect(ledger.replay(context(store), 0)).toBeUndefined();
	});

	it('replays the error of an item whose post may exist, saying it is not posted again', () => {
		const store = {};
		const ledger = PostLedger.open(context(store));
		ledger.sending(0);
		ledger.failed(0, failure({ code: 'init_outcome_unknown', postMayExist: true }));
		const replayed = PostLedger.open(context(store)).replay(context(store), 0);
		expect(replayed).toBeInstanceOf(TikTokNodeError);
		expect((replayed as TikTokNodeError).tiktok.code).toBe('init_outcome_unknown');
		expect((replayed as TikTokNodeError).tiktok.hint).toMatch(/^Do this\. This item was already attempted/);
	});

	it('keeps a created post that failed later (it names the publish_id), forgets one TikTok will not publish', () => {
		const store = {};
		const ledger = PostLedger.open(context(store));
		ledger.sending(0);
		ledger.created(0, 'p-exists');
		ledger.failed(0, failure({ code: 'network_error', publishId: 'p-exists' }));
		ledger.sending(1);
		ledger.created(1, 'p-incomplete');
		ledger.failed(1, failure({ code: 'upload_http_403', publishId: 'p-incomplete', postMayExist: false }));
		expect((ledger.replay(context(store), 0) as TikTokNodeError).tiktok.publishId).toBe('p-exists');
		expect(ledger.replay(context(store), 1)).toBeUndefined();
	});

	it('reports an item left mid-post by an interrupted attempt as possibly posted', () => {
		const store = {};
		const ledger = PostLedger.open(context(store));
		ledger.sending(0);
		ledger.sending(1);
		ledger.created(1, 'p-2');
		expect((ledger.replay(context(store), 0) as TikTokNodeError).tiktok.code).toBe('init_outcome_unknown');
		expect((ledger.replay(context(store), 1) as TikTokNodeError).tiktok).toMatchObject({ code: 'post_interrupted', publishId: 'p-2' });
	});

	it('stores only plain data (n8n saves the node context with the execution)', () => {
		const store: Record<string, unknown> = {};
		const ledger = PostLedger.open(context(store));
		ledger.sending(0);
		ledger.failed(0, failure({ code: 'internal_error', httpStatus: 500, postMayExist: true, logId: 'L' }));
		expect(JSON.parse(JSON.stringify(store))).toEqual(store);
		expect(JSON.stringify(store)).toContain('"logId":"L"');
	});
});
