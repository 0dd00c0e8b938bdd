import { createHash } from 'crypto';
import type { IDataObject } from 'n8n-workflow';

/** TikTok retries a delivery for up to 72 hours: a record older than that can no longer match. */
export const DEDUP_WINDOW_SECONDS = 72 * 60 * 60;
/** Records kept per trigger node (about 50 bytes each in the workflow's static data). */
export const MAX_REMEMBERED_DELIVERIES = 1000;
/** Triggers remembered in this process's memory (one per workflow, node name and mode). */
const MAX_SCOPES = 50;

/** Delivery key → Unix seconds when it was accepted. */
export type DeliveryRecords = Record<string, number>;

/**
 * TikTok sends no event id. A redelivery repeats the envelope exactly (only the signature's
 * timestamp changes), so the envelope identifies the event: a new post.publish.complete for the
 * same publish_id has another create_time and counts as new. Computed from the parsed content so
 * that the trigger's output item (which carries the content parsed) gives the same key.
 */
export function deliveryKey(event: {
	client_key: string;
	event: string;
	create_time: number;
	user_openid: string;
	content: IDataObject;
}): string {
	const identity = [event.client_key, event.event, event.create_time, event.user_openid, event.content];
	return createHash('sha256').update(JSON.stringify(identity)).digest('hex').slice(0, 32);
}

/** The key of a trigger output item (see eventItem), or undefined for an item it did not make. */
export function itemDeliveryKey(json: IDataObject): string | undefined {
	const { client_key, event, create_time_unix, user_openid, content } = json;
	if (typeof client_key !== 'string' || typeof event !== 'string' || typeof user_openid !== 'string') return undefined;
	if (typeof create_time_unix !== 'number') return undefined;
	if (typeof content !== 'object' || content === null || Array.isArray(content)) return undefined;
	return deliveryKey({ client_key, event, create_time: create_time_unix, user_openid, content: content as IDataObject });
}

/** Records are kept per workflow, trigger node and mode (test runs get static data n8n never saves). */
export function triggerScope(ctx: {
	getMode(): string;
	getWorkflow(): { id?: string };
	getNode(): { name: string };
}): string {
	return `${ctx.getMode()}:${ctx.getWorkflow().id ?? ''}:${ctx.getNode().name}`;
}

function recordsOf(value: unknown): DeliveryRecords {
	const records: DeliveryRecords = {};
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return records;
	for (const [key, at] of Object.entries(value)) if (typeof at === 'number') records[key] = at;
	return records;
}

/** Records younger than the window, at most the newest MAX_REMEMBERED_DELIVERIES. */
export function pruneRecords(records: DeliveryRecords, nowSeconds: number): DeliveryRecords {
	const kept = Object.entries(records)
		.filter(([, at]) => nowSeconds - at <= DEDUP_WINDOW_SECONDS)
		.sort(([, a], [, b]) => b - a)
		.slice(0, MAX_REMEMBERED_DELIVERIES);
	return Object.fromEntries(kept);
}

/**
 * What this process accepted, per trigger. n8n loads a workflow's static data when a request
 * arrives, so copies of one event arriving together all see the stored records without the
 * others'; and n8n 2.41 does not save static data a webhook handler changed once the handler
 * starts an execution (see persistAccepted). Every check reads these too, and every save writes
 * them, so neither the check nor the stored records miss a delivery this process accepted.
 */
const acceptedInThisProcess = new Map<string, DeliveryRecords>();

function remember(scope: string, records: DeliveryRecords): void {
	acceptedInThisProcess.delete(scope);
	acceptedInThisProcess.set(scope, records);
	if (acceptedInThisProcess.size > MAX_SCOPES) {
		const oldest = acceptedInThisProcess.keys().next().value;
		if (oldest !== undefined) acceptedInThisProcess.delete(oldest);
	}
}

/** Stored, remembered and new records together; assigned as a new object, which n8n notices. */
function store(staticData: IDataObject, scope: string, added: string[], nowSeconds: number): void {
	const records = {
		...recordsOf(staticData.deliveries),
		...(acceptedInThisProcess.get(scope) ?? {}),
	};
	for (const key of added) records[key] ??= nowSeconds;
	const pruned = pruneRecords(records, nowSeconds);
	remember(scope, pruned);
	staticData.deliveries = { ...pruned };
}

/**
 * True the first time a delivery key is seen for this trigger (and records it); false for a
 * redelivery or a replay. Synchronous, so concurrent deliveries in this process cannot interleave.
 */
export function acceptOnce(
	staticData: IDataObject,
	scope: string,
	key: string,
	nowSeconds: number,
): boolean {
	const stored = pruneRecords(recordsOf(staticData.deliveries), nowSeconds);
	const remembered = pruneRecords(acceptedInThisProcess.get(scope) ?? {}, nowSeconds);
	const known = (records: DeliveryRecords) => Object.prototype.hasOwnProperty.call(records, key);
	if (known(stored) || known(remembered)) return false;
	store(staticData, scope, [key], nowSeconds);
	return true;
}

/**
 * Records accepted deliveries in the static data of the execution they started. n8n 2.41 saves
 * a webhook handler's static data only when the handler starts no execution (or nothing was
 * stored yet): starting one resets n8n's "changed" mark on the same object before the save. The
 * execution's own static data is saved when it ends, so the trigger writes the records there too.
 */
export function persistAccepted(
	staticData: IDataObject,
	scope: string,
	keys: string[],
	nowSeconds: number,
): void {
	store(staticData, scope, keys, nowSeconds);
}

/** For tests: forget what this process accepted (as a restart of n8n would). */
export function forgetAcceptedDeliveries(): void {
	acceptedInThisProcess.clear();
}
