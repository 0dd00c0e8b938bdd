/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code runs in Node.js, not inside n8n */
// A media server for the "URL, Uploaded in Chunks" video source: serves files from disk over http
// on 127.0.0.1, with the behaviours real storage shows, chosen per request in the query string:
//   ?noLength=1   no Content-Length (chunked), HEAD refused, Range ignored
//   ?noRange=1    Range ignored (answers 200 with the whole file), no Accept-Ranges
//   ?noHead=1     HEAD refused (405); GET and Range work
//   ?dropAfter=N  the first GET of this URL without a Range header breaks off after N bytes
//   ?redirect=1   302 to the same URL without the parameter
// Every request is recorded (method, path, Range, whether an Authorization or Cookie header came).
import { createReadStream, statSync } from 'fs';
import http from 'http';
import type { AddressInfo } from 'net';
import { basename } from 'path';

export interface MediaRequest {
	method: string;
	path: string;
	range?: string;
	credentialHeaders: string[];
	status?: number;
}

export interface MediaServer {
	url(name: string, query?: string): string;
	requests: MediaRequest[];
	close(): Promise<void>;
}

export async function startMediaServer(files: Record<string, string>): Promise<MediaServer> {
	const requests: MediaRequest[] = [];
	const dropped = new Set<string>();
	const server = http.createServer((req, res) => {
		const url = new URL(req.url ?? '/', 'http://media.invalid');
		const record: MediaRequest = {
			method: req.method ?? '',
			path: `${url.pathname}${url.search}`,
			range: req.headers.range,
			credentialHeaders: ['authorization', 'cookie', 'proxy-authorization'].filter((name) => req.headers[name] !== undefined),
		};
		requests.push(record);
		const answer = (status: number, headers: http.OutgoingHttpHeaders = {}) => {
			record.status = status;
			res.writeHead(status, headers);
		};
		const answerEmpty = (status: number, headers: http.OutgoingHttpHeaders = {}) => {
			answer(status, headers);
			res.end();
		};
		const file = files[basename(url.pathname)];
		if (!file) return answerEmpty(404);
		if (url.searchParams.has('redirect')) {
			url.searchParams.delete('redirect');
			return answerEmpty(302, { location: `${url.pathname}${url.search}` });
		}
		const size = statSync(file).size;
		const type = file.endsWith('.xml') ? 'application/rss+xml' : 'video/mp4';
		const noLength = url.searchParams.has('noLength');
		const ranges = !noLength && !url.searchParams.has('noRange');
		if (req.method === 'HEAD') {
			if (noLength || url.searchParams.has('noHead')) return answerEmpty(405);
			return answerEmpty(200, { 'content-type': type, 'content-length': size, ...(ranges ? { 'accept-ranges': 'bytes' } : {}) });
		}
		let start = 0;
		let end = size - 1;
		const match = ranges ? /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '') : null;
		if (match) {
			start = Number(match[1]);
			end = match[2] ? Math.min(Number(match[2]), size - 1) : size - 1;
			answer(206, { 'content-type': type, 'content-length': end - start + 1, 'content-range': `bytes ${start}-${end}/${size}`, 'accept-ranges': 'bytes' });
		} else {
			answer(200, { 'content-type': type, ...(noLength ? {} : { 'content-length': size }), ...(ranges ? { 'accept-ranges': 'bytes' } : {}) });
		}
		const dropAfter = Number(url.searchParams.get('dropAfter'));
		const key = `${url.pathname}${url.search}`;
		const dropHere = dropAfter > 0 && !dropped.has(key) && !req.headers.range;
		const stream = createReadStream(file, { start, end: dropHere ? Math.min(end, start + dropAfter - 1) : end });
		stream.pipe(res, { end: !dropHere });
		if (dropHere) {
			dropped.add(key);
			stream.on('end', () => res.socket?.destroy());
		}
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: (name, query) => `http://127.0.0.1:${port}/files/${name}${query ? `?${query}` : ''}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}
