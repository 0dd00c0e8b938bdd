// Parameters arrive from expressions as anything (spreadsheet text, numbers, objects, NaN): each
// parser turns a value into exactly the type the node needs or refuses it, naming field and value.
import { InputError } from '../../nodes/TikTok/shared/inputError';
import {
	describeValue,
	parseBoolean,
	parseNumber,
	parseOption,
	parseText,
	unpairedSurrogateAt,
} from '../../nodes/TikTok/shared/parameters';

function refusal(run: () => unknown): InputError {
	try {
		run();
	} catch (error) {
		expect(error).toBeInstanceOf(InputError);
		return error as InputError;
	}
	throw new Error('expected an InputError');
}

describe('parseBoolean', () => {
	it.each([
		[true, true],
		[false, false],
		['true', true],
		['TRUE', true],
		[' False ', false],
		['1', true],
		['0', false],
		[1, true],
		[0, false],
	])('reads %p as %p', (value, expected) => {
		expect(parseBoolean(value, 'Allow Comments', false)).toBe(expected);
	});

	it.each([undefined, null, '', '   '])('uses the default for the empty value %p', (value) => {
		expect(parseBoolean(value, 'Allow Comments', false)).toBe(false);
		expect(parseBoolean(value, 'Allow Comments', true)).toBe(true);
	});

	it.each(['yes', 'no', 'on', 'truee', 2, -1, NaN, [], {}, [true]])('refuses %p, naming field and value', (value) => {
		const error = refusal(() => parseBoolean(value, 'Disclose Commercial Content', false));
		expect(error.message).toMatch(/^"Disclose Commercial Content" must be true or false/);
		expect(error.message).toContain(describeValue(value));
		expect(error.hint).toMatch(/"TRUE"/);
	});
});

describe('parseNumber', () => {
	const chunk = { min: 5, max: 61, integer: true, fallback: 10, unit: 'MiB' };

	it.each([
		[10, 10],
		['10', 10],
		[' 32 ', 32],
		['6e1', 60],
		[5, 5],
		[61, 61],
	])('reads %p as %p', (value, expected) => {
		expect(parseNumber(value, 'Chunk Size (MB)', chunk)).toBe(expected);
	});

	it('uses the fallback for an empty cell, and refuses emptiness without one', () => {
		expect(parseNumber('', 'Chunk Size (MB)', chunk)).toBe(10);
		expect(parseNumber(null, 'Chunk Size (MB)', chunk)).toBe(10);
		expect(refusal(() => parseNumber('', 'Cover Index', { min: 0 })).message).toBe('"Cover Index" is empty');
	});

	it.each(['10 MB', 'abc', '5 min', '0x10', '1,5', NaN, Infinity, -Infinity, true, {}, [10]])(
		'refuses the non-number %p',
		(value) => {
			const error = refusal(() => parseNumber(value, 'Poll Interval (Seconds)', { min: 2, fallback: 5 }));
			expect(error.message).toMatch(/^"Poll Interval \(Seconds\)" must be a number/);
			expect(error.hint).toMatch(/of at least 2/);
		},
	);

	it('refuses values outside the range or with a fraction where whole numbers are needed', () => {
		expect(refusal(() => parseNumber(70, 'Chunk Size (MB)', chunk)).message).toMatch(/is 70, outside the allowed range/);
		expect(refusal(() => parseNumber('4', 'Chunk Size (MB)', chunk)).hint).toMatch(/from 5 to 61 MiB/);
		expect(refusal(() => parseNumber(10.5, 'Chunk Size (MB)', chunk)).message).toMatch(/must be a whole number/);
		expect(refusal(() => parseNumber(-1, 'Poll Interval (Seconds)', { min: 2 })).message).toMatch(/outside/);
	});
});

describe('parseOption', () => {
	const modes = [
		{ value: 'directPost', name: 'Direct Post' },
		{ value: 'draft', name: 'Upload as Draft' },
	] as const;

	it('matches without regard to case or surrounding spaces', () => {
		expect(parseOption(' DRAFT ', 'Post Mode', modes)).toBe('draft');
		expect(parseOption('directPost', 'Post Mode', modes)).toBe('directPost');
	});

	it('uses the fallback for an empty value', () => {
		expect(parseOption('', 'Post Mode', modes, 'directPost')).toBe('directPost');
	});

	it.each(['Direct', 'direct post', 7, {}, null])('refuses %p and lists the allowed values', (value) => {
		const error = refusal(() => parseOption(value, 'Post Mode', modes));
		expect(error.hint).toMatch(/one of: directPost \(Direct Post\), draft \(Upload as Draft\)\.$/);
	});
});

describe('parseText', () => {
	it('takes text as it is and numbers as their decimal text', () => {
		expect(parseText(' #launch ', 'Caption')).toBe(' #launch ');
		expect(parseText(2026, 'Caption')).toBe('2026');
		expect(parseText(undefined, 'Caption')).toBe('');
		expect(parseText(' data ', 'Input Binary Field', { trim: true })).toBe('data');
		expect(parseText('', 'Input Binary Field', { fallback: 'data' })).toBe('data');
	});

	it('keeps every kind of whole character, emoji and flags included', () => {
		const text = 'Ünïcödé 🇫🇷 👩‍👩‍👧 \u200d e\u0301 中文 \n\t';
		expect(parseText(text, 'Caption')).toBe(text);
	});

	it.each([{ a: 1 }, ['a', 'b'], true, NaN])('refuses %p', (value) => {
		expect(refusal(() => parseText(value, 'Caption')).message).toMatch(/^"Caption" must be text/);
	});

	it('refuses NUL and half an emoji, saying where', () => {
		expect(refusal(() => parseText('ab\u0000c', 'Caption')).message).toMatch(/NUL character .* position 3/);
		const cut = '😀😀'.slice(0, 3);
		expect(refusal(() => parseText(cut, 'Caption')).message).toMatch(/half of an emoji .* position 3/);
		expect(unpairedSurrogateAt('\udc00x')).toBe(0);
		expect(unpairedSurrogateAt('ok 😀')).toBe(-1);
	});
});

describe('describeValue', () => {
	it('says what kind of value it was, clipped', () => {
		expect(describeValue('yes')).toBe('"yes" (text)');
		expect(describeValue(NaN)).toBe('NaN (not a number)');
		expect(describeValue('x'.repeat(100))).toMatch(/^"x{60}…" \(text\)$/);
		expect(describeValue({ a: 1 })).toBe('an object ({"a":1})');
		expect(describeValue([1, 2])).toBe('a list of 2 ([1,2])');
	});
});
