// JSON text with real 64-bit integers: TikTok writes post ids as bare 19-digit numbers (beyond
// 2^53), which JSON.stringify cannot produce from a JS number. BigInt values are written raw.
const MARK = '\u0000bigint:';

export function stringifyJson(value: unknown): string {
	const text = JSON.stringify(value, (_key, item: unknown) =>
		typeof item === 'bigint' ? `${MARK}${item.toString()}` : item,
	);
	return text.replace(/"\\u0000bigint:(-?\d+)"/g, '$1');
}

export function parseJsonObject(text: string): Record<string, unknown> | undefined {
	try {
		const value: unknown = JSON.parse(text);
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			return value as Record<string, unknown>;
		}
	} catch {
		// not JSON: the caller answers invalid_params
	}
	return undefined;
}
