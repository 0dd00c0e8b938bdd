import { InputError } from './inputError';

/**
 * Parameters reach the node from expressions as anything: spreadsheets give "TRUE", "10" or "",
 * code gives objects and NaN. These parsers turn each value into exactly the type the node needs,
 * or refuse it with a message naming the field and the value. Nothing is coerced silently: "yes"
 * is not true, "10 MB" is not 10, NaN never reaches a loop or TikTok.
 *
 * Empty (undefined, null, "" or whitespace) means "not set": optional fields fall back to their
 * default, which is what an empty spreadsheet cell means.
 */

const MAX_QUOTED = 60;

/** How a value is shown in a message: quoted and clipped text, or its JSON, with its kind. */
export function describeValue(value: unknown): string {
	if (typeof value === 'string') {
		const clipped = value.length > MAX_QUOTED ? `${value.slice(0, MAX_QUOTED)}…` : value;
		return `"${clipped}" (text)`;
	}
	if (typeof value === 'number') return Number.isNaN(value) ? 'NaN (not a number)' : `${value} (a number)`;
	if (typeof value === 'boolean') return `${value} (true/false)`;
	if (value === null) return 'null';
	if (value === undefined) return 'nothing (undefined)';
	if (Array.isArray(value)) return `a list of ${value.length} (${clip(safeJson(value))})`;
	if (typeof value === 'object') return `an object (${clip(safeJson(value))})`;
	return `a ${typeof value}`;
}

function safeJson(value: unknown): string {
	try {
		return JSON.stringify(value) ?? String(value);
	} catch {
		return String(value);
	}
}

function clip(text: string): string {
	return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}

export function isEmptyValue(value: unknown): boolean {
	return value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
}

/** true/false, the texts "true"/"false" in any case, and 1/0 (as n8n's own type validation reads them). */
export function parseBoolean(value: unknown, label: string, fallback: boolean): boolean {
	if (isEmptyValue(value)) return fallback;
	if (typeof value === 'boolean') return value;
	const text = typeof value === 'string' ? value.trim().toLowerCase() : value;
	if (text === 'true' || text === 1 || text === '1') return true;
	if (text === 'false' || text === 0 || text === '0') return false;
	throw new InputError(
		`"${label}" must be true or false, but the value is ${describeValue(value)}`,
		`Give true or false. Spreadsheet text such as "TRUE" or "false" and the numbers 1 and 0 are understood; ` +
			`leave it empty for the default (${fallback}).`,
	);
}

export interface NumberRule {
	min?: number;
	max?: number;
	integer?: boolean;
	/** Used when the value is empty; without it an empty value is refused. */
	fallback?: number;
	/** Unit shown in messages, e.g. "MiB" or "seconds". */
	unit?: string;
}

function rangeText(rule: NumberRule): string {
	const unit = rule.unit ? ` ${rule.unit}` : '';
	const whole = rule.integer ? 'a whole number' : 'a number';
	if (rule.min !== undefined && rule.max !== undefined) return `${whole} from ${rule.min} to ${rule.max}${unit}`;
	if (rule.min !== undefined) return `${whole} of at least ${rule.min}${unit}`;
	if (rule.max !== undefined) return `${whole} of at most ${rule.max}${unit}`;
	return `${whole}${unit}`;
}

/** A finite number, or numeric text such as "10" or " 2.5 " (not "10 MB", not "", not NaN). */
export function parseNumber(value: unknown, label: string, rule: NumberRule): number {
	const hint = `Give ${rangeText(rule)}, e.g. ${exampleFor(rule)} (text such as "${exampleFor(rule)}" from a spreadsheet works too).`;
	if (isEmptyValue(value)) {
		if (rule.fallback !== undefined) return rule.fallback;
		throw new InputError(`"${label}" is empty`, hint);
	}
	let number: number | undefined;
	if (typeof value === 'number') number = value;
	else if (typeof value === 'string' && /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(value.trim())) number = Number(value.trim());
	if (number === undefined || !Number.isFinite(number)) {
		throw new InputError(`"${label}" must be a number, but the value is ${describeValue(value)}`, hint);
	}
	if (rule.integer && !Number.isInteger(number)) {
		throw new InputError(`"${label}" must be a whole number, but the value is ${describeValue(value)}`, hint);
	}
	if ((rule.min !== undefined && number < rule.min) || (rule.max !== undefined && number > rule.max)) {
		throw new InputError(`"${label}" is ${number}, outside the allowed range`, hint);
	}
	return number;
}

function exampleFor(rule: NumberRule): number {
	if (rule.fallback !== undefined) return rule.fallback;
	return rule.min ?? 0;
}

export interface OptionChoice<T extends string> {
	value: T;
	name?: string;
}

/** One of the listed option values; text is trimmed and matched without regard to case. */
export function parseOption<T extends string>(
	value: unknown,
	label: string,
	choices: ReadonlyArray<OptionChoice<T>>,
	fallback?: T,
): T {
	const list = choices.map((choice) => (choice.name ? `${choice.value} (${choice.name})` : choice.value)).join(', ');
	if (isEmptyValue(value)) {
		if (fallback !== undefined) return fallback;
		throw new InputError(`"${label}" is empty`, `Choose one of: ${list}.`);
	}
	if (typeof value === 'string') {
		const wanted = value.trim().toLowerCase();
		const match = choices.find((choice) => choice.value.toLowerCase() === wanted);
		if (match) return match.value;
	}
	throw new InputError(`"${label}" is ${describeValue(value)}, which is not one of the allowed values`, `Use one of: ${list}.`);
}

export interface TextRule {
	/** Default when the value is empty. */
	fallback?: string;
	trim?: boolean;
}

/**
 * Text for TikTok. Numbers become their decimal text (a caption of 2026 is fine); objects, lists
 * and true/false are refused, as are characters JSON cannot carry to TikTok intact: NUL and
 * unpaired UTF-16 surrogates (half of an emoji, usually from cutting text at a fixed length).
 */
export function parseText(value: unknown, label: string, rule: TextRule = {}): string {
	if (value === undefined || value === null) return rule.fallback ?? '';
	let text: string;
	if (typeof value === 'string') text = value;
	else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
	else {
		throw new InputError(
			`"${label}" must be text, but the value is ${describeValue(value)}`,
			'Map a text field, or turn the value into text in the expression (for example with .join(" ") for a list).',
		);
	}
	if (rule.trim) text = text.trim();
	if (text === '' && rule.fallback !== undefined) return rule.fallback;
	const nul = text.indexOf('\u0000');
	if (nul >= 0) {
		throw new InputError(
			`"${label}" contains a NUL character (\\u0000) at position ${nul + 1}`,
			'Remove the control character; it usually comes from binary data or a broken export.',
		);
	}
	const broken = unpairedSurrogateAt(text);
	if (broken >= 0) {
		throw new InputError(
			`"${label}" contains half of an emoji (an unpaired UTF-16 surrogate) at position ${broken + 1}`,
			'The text was probably cut in the middle of an emoji. Shorten it at a whole character instead (for example with Array.from(text).slice(0, n).join("")).',
		);
	}
	return text;
}

/** Index of the first UTF-16 surrogate without its partner, or -1. */
export function unpairedSurrogateAt(text: string): number {
	for (let index = 0; index < text.length; index++) {
		const code = text.charCodeAt(index);
		if (code >= 0xd800 && code <= 0xdbff) {
			const next = text.charCodeAt(index + 1);
			if (next >= 0xdc00 && next <= 0xdfff) {
				index++;
				continue;
			}
			return index;
		}
		if (code >= 0xdc00 && code <= 0xdfff) return index;
	}
	return -1;
}
