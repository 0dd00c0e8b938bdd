/**
 * Length as TikTok counts it: its "UTF-16 runes" are UTF-16 code units, so an emoji outside
 * the Basic Multilingual Plane counts 2, a flag 4, and a ZWJ family emoji all of its parts.
 * (JavaScript strings are UTF-16, so this is exactly `String.length`.)
 */
export function utf16Length(text: string): number {
	return text.length;
}
