// TikTok's per-token limits, shared by every item and execution of one credential in a process.
import { LIMITS_PER_MINUTE, reserveSendTime, resetRateBudgets, WINDOW_MS } from '../../nodes/TikTok/transport/rateBudget';

const STATUS = '/v2/post/publish/status/fetch/';
const INIT = '/v2/post/publish/video/init/';

beforeEach(() => resetRateBudgets());

/** The most send times within any window, for a sorted list. */
function busiestWindow(times: number[], windowMs: number): number {
	let most = 0;
	for (let start = 0; start < times.length; start++) {
		let end = start;
		while (end < times.length && times[end] - times[start] < windowMs) end++;
		most = Math.max(most, end - start);
	}
	return most;
}

describe('reserveSendTime', () => {
	it('never lets more than 30 status calls into any minute, however many callers ask at once', () => {
		const now = 0;
		const sendTimes = Array.from({ length: 95 }, () => now + reserveSendTime('cred:a', STATUS, now));
		expect(sendTimes.slice(0, 30).every((time) => time === now)).toBe(true);
		expect(sendTimes[30]).toBe(now + WINDOW_MS);
		expect(busiestWindow(sendTimes, 60_000)).toBeLessThanOrEqual(LIMITS_PER_MINUTE[STATUS]);
		// Nobody waits longer than the budget requires: 95 calls need 4 windows.
		expect(sendTimes[94]).toBe(now + 3 * WINDOW_MS);
	});

	it('counts each credential and each endpoint on its own', () => {
		for (let i = 0; i < 6; i++) expect(reserveSendTime('cred:a', INIT, 0)).toBe(0);
		expect(reserveSendTime('cred:a', INIT, 0)).toBe(WINDOW_MS);
		expect(reserveSendTime('cred:b', INIT, 0)).toBe(0);
		expect(reserveSendTime('cred:a', STATUS, 0)).toBe(0);
	});

	it('frees slots as time passes', () => {
		for (let i = 0; i < 6; i++) reserveSendTime('cred:a', INIT, 0);
		expect(reserveSendTime('cred:a', INIT, WINDOW_MS + 1)).toBe(0);
	});

	it('reserves nothing on a dry run (a dropdown that will not wait)', () => {
		for (let i = 0; i < 20; i++) reserveSendTime('cred:a', '/v2/post/publish/creator_info/query/', 0);
		expect(reserveSendTime('cred:a', '/v2/post/publish/creator_info/query/', 1000, true)).toBe(WINDOW_MS - 1000);
		expect(reserveSendTime('cred:a', '/v2/post/publish/creator_info/query/', 1000, true)).toBe(WINDOW_MS - 1000);
	});

	it('never delays endpoints without a documented limit', () => {
		for (let i = 0; i < 1000; i++) expect(reserveSendTime('cred:a', '/v2/post/publish/cancel/', 0)).toBe(0);
	});
});
