// Posts (one per publish_id) and their time-driven status (reference §8, §17). Status is computed
// from the emulator clock whenever it is read, so advancing the clock moves posts along.
import type { Hash } from 'crypto';
import { newPostId, randomDigits, randomHex } from './ids';

export type PostEndpoint = 'video/init' | 'inbox/video/init' | 'content/init';
export type Flow = 'direct' | 'inbox';
export type Source = 'FILE_UPLOAD' | 'PULL_FROM_URL';

export interface ChunkLogEntry {
	index: number | null;
	range: string | null;
	bytes: number;
	status: number | string;
	at: string;
}

export interface UploadSession {
	id: string;
	token: string;
	videoSize: number;
	chunkSize: number;
	totalChunkCount: number;
	received: number;
	/** Hash of the committed bytes; a PUT works on a copy and commits only when it completes. */
	hash: Hash;
	expiresAt: number;
	inFlight: boolean;
	chunks: ChunkLogEntry[];
	sha256: string | null;
}

export interface PullState {
	bytes: number;
	sha256: Array<string | null>;
	abort: AbortController;
	finished: boolean;
}

export interface Post {
	publishId: string;
	endpoint: PostEndpoint;
	flow: Flow;
	kind: 'video' | 'photo';
	source: Source;
	openId: string;
	postInfo: unknown;
	sourceInfo: unknown;
	privacyLevel: string | null;
	createdAt: number;
	timings: { processingMs: number; moderationMs: number };
	/** The fail_reason this post ends with after processing (from `nextFailReasons`). */
	plannedFailReason: string | null;
	/** A failure that applies at once: pull failed or cancelled. */
	immediateFailure: string | null;
	/** When all media arrived (upload finished / download finished). */
	mediaReadyAt: number | null;
	/** A draft the user finished in the app (control API). */
	userPublishedAt: number | null;
	postIds: bigint[];
	upload?: UploadSession;
	pull?: PullState;
}

export interface StatusView {
	status: string;
	fail_reason?: string;
	publicaly_available_post_id: bigint[];
	uploaded_bytes?: number;
	downloaded_bytes?: number;
}

const PUBLISH_ID_PREFIX: Record<string, string> = {
	'video/direct/FILE_UPLOAD': 'v_pub_file~v2-1.',
	'video/direct/PULL_FROM_URL': 'v_pub_url~v2.',
	'video/inbox/FILE_UPLOAD': 'v_inbox_file~v2.',
	'video/inbox/PULL_FROM_URL': 'v_inbox_url~v2.',
	'photo/direct/PULL_FROM_URL': 'p_pub_url~v2.',
	'photo/inbox/PULL_FROM_URL': 'p_inbox_url~v2.',
};

export function newPublishId(kind: string, flow: Flow, source: Source): string {
	return `${PUBLISH_ID_PREFIX[`${kind}/${flow}/${source}`]}${randomDigits(18)}`;
}

export function newUploadIdentity(): { id: string; token: string } {
	return { id: randomDigits(18), token: randomHex(24) };
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function statusOf(post: Post, now: number): StatusView {
	const view: StatusView = { status: '', publicaly_available_post_id: [] };
	if (post.source === 'FILE_UPLOAD') view.uploaded_bytes = post.upload?.received ?? 0;
	else view.downloaded_bytes = post.pull?.bytes ?? 0;
	const processing = post.source === 'FILE_UPLOAD' ? 'PROCESSING_UPLOAD' : 'PROCESSING_DOWNLOAD';
	if (post.immediateFailure)
		return { ...view, status: 'FAILED', fail_reason: post.immediateFailure };
	if (post.mediaReadyAt === null) return { ...view, status: processing };
	const doneAt = post.mediaReadyAt + post.timings.processingMs;
	if (now < doneAt) return { ...view, status: processing };
	if (post.plannedFailReason)
		return { ...view, status: 'FAILED', fail_reason: post.plannedFailReason };
	if (post.flow === 'inbox') {
		if (post.userPublishedAt === null) return { ...view, status: 'SEND_TO_USER_INBOX' };
		return { ...view, status: 'PUBLISH_COMPLETE', publicaly_available_post_id: post.postIds };
	}
	const publicFrom = doneAt + post.timings.moderationMs;
	const visibleIds =
		post.privacyLevel === 'PUBLIC_TO_EVERYONE' && now >= publicFrom ? post.postIds : [];
	return { ...view, status: 'PUBLISH_COMPLETE', publicaly_available_post_id: visibleIds };
}

export class PostStore {
	private posts = new Map<string, Post>();
	private uploads = new Map<string, Post>();

	add(post: Post): void {
		this.posts.set(post.publishId, post);
		if (post.upload) this.uploads.set(post.upload.id, post);
		if (post.flow === 'direct' && post.privacyLevel === 'PUBLIC_TO_EVERYONE') {
			post.postIds = [newPostId()];
		}
	}

	get(publishId: string): Post | undefined {
		return this.posts.get(publishId);
	}

	byUploadId(uploadId: string): Post | undefined {
		return this.uploads.get(uploadId);
	}

	all(): Post[] {
		return [...this.posts.values()];
	}

	/** Direct posts by this creator in the last 24 h (reference §12 per-creator cap). */
	directPostsInLastDay(openId: string, now: number): number {
		return this.all().filter(
			(post) => post.openId === openId && post.flow === 'direct' && now - post.createdAt < DAY_MS,
		).length;
	}

	/** Drafts not yet finished by the creator in the last 24 h (reference §5, §12). */
	pendingDrafts(openId: string, now: number): number {
		return this.all().filter(
			(post) =>
				post.openId === openId &&
				post.flow === 'inbox' &&
				post.userPublishedAt === null &&
				now - post.createdAt < DAY_MS &&
				statusOf(post, now).status !== 'FAILED',
		).length;
	}

	clear(): void {
		for (const post of this.posts.values()) post.pull?.abort.abort();
		this.posts.clear();
		this.uploads.clear();
	}
}
