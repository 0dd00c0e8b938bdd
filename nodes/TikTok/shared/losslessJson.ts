/**
 * JSON.parse, except that integers JavaScript cannot hold exactly (beyond ±2^53) come back as
 * their exact decimal string. TikTok sends 19-digit post ids as JSON numbers; JSON.parse would
 * silently round 7345678901234567891 to 7345678901234567000.
 */
export function parseJsonLossless(text: string): unknown {
	const parser = new LosslessJsonParser(String(text));
	return parser.parseDocument();
}

const WHITESPACE = new Set([0x20, 0x09, 0x0a, 0x0d]);
const ESCAPES: Record<string, string> = {
	'"': '"',
	'\\': '\\',
	'/': '/',
	b: '\b',
	f: '\f',
	n: '\n',
	r: '\r',
	t: '\t',
};
const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;

class LosslessJsonParser {
	private position = 0;

	constructor(private readonly text: string) {}

	parseDocument(): unknown {
		this.skipWhitespace();
		const value = this.parseValue();
		this.skipWhitespace();
		if (this.position < this.text.length) this.fail('Unexpected data after the JSON value');
		return value;
	}

	private fail(reason: string): never {
		throw new SyntaxError(`${reason} at position ${this.position} of the JSON text`);
	}

	private skipWhitespace(): void {
		while (this.position < this.text.length && WHITESPACE.has(this.text.charCodeAt(this.position))) {
			this.position++;
		}
	}

	private parseValue(): unknown {
		const char = this.text[this.position];
		switch (char) {
			case '{':
				return this.parseObject();
			case '[':
				return this.parseArray();
			case '"':
				return this.parseString();
			case 't':
				return this.parseLiteral('true', true);
			case 'f':
				return this.parseLiteral('false', false);
			case 'n':
				return this.parseLiteral('null', null);
			default:
				if (char === '-' || (char >= '0' && char <= '9')) return this.parseNumber();
				return this.fail(char === undefined ? 'Unexpected end of JSON input' : `Unexpected character ${JSON.stringify(char)}`);
		}
	}

	private parseLiteral<T>(word: string, value: T): T {
		if (this.text.startsWith(word, this.position)) {
			this.position += word.length;
			return value;
		}
		return this.fail('Invalid literal');
	}

	private parseNumber(): number | string {
		NUMBER_PATTERN.lastIndex = this.position;
		const match = NUMBER_PATTERN.exec(this.text);
		if (!match) return this.fail('Invalid number');
		const literal = match[0];
		this.position += literal.length;
		const value = Number(literal);
		const isIntegerLiteral = match[1] === undefined && match[2] === undefined;
		if (isIntegerLiteral && !Number.isSafeInteger(value)) return literal;
		return value;
	}

	private parseString(): string {
		this.position++; // opening quote
		let result = '';
		let runStart = this.position;
		for (;;) {
			if (this.position >= this.text.length) this.fail('Unterminated string');
			const code = this.text.charCodeAt(this.position);
			if (code === 0x22) {
				result += this.text.slice(runStart, this.position);
				this.position++;
				return result;
			}
			if (code < 0x20) this.fail('Bad control character in string');
			if (code !== 0x5c) {
				this.position++;
				continue;
			}
			result += this.text.slice(runStart, this.position);
			const escape = this.text[this.position + 1];
			if (escape === 'u') {
				const hex = this.text.slice(this.position + 2, this.position + 6);
				if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('Bad Unicode escape');
				result += String.fromCharCode(parseInt(hex, 16));
				this.position += 6;
			} else if (escape !== undefined && Object.prototype.hasOwnProperty.call(ESCAPES, escape)) {
				result += ESCAPES[escape];
				this.position += 2;
			} else {
				this.fail('Bad escaped character');
			}
			runStart = this.position;
		}
	}

	private parseArray(): unknown[] {
		this.position++; // [
		const result: unknown[] = [];
		this.skipWhitespace();
		if (this.text[this.position] === ']') {
			this.position++;
			return result;
		}
		for (;;) {
			this.skipWhitespace();
			result.push(this.parseValue());
			this.skipWhitespace();
			const char = this.text[this.position++];
			if (char === ']') return result;
			if (char !== ',') {
				this.position--;
				this.fail("Expected ',' or ']' in array");
			}
		}
	}

	private parseObject(): Record<string, unknown> {
		this.position++; // {
		const result: Record<string, unknown> = {};
		this.skipWhitespace();
		if (this.text[this.position] === '}') {
			this.position++;
			return result;
		}
		for (;;) {
			this.skipWhitespace();
			if (this.text[this.position] !== '"') this.fail('Expected a property name');
			const key = this.parseString();
			this.skipWhitespace();
			if (this.text[this.position] !== ':') this.fail("Expected ':' after a property name");
			this.position++;
			this.skipWhitespace();
			const value = this.parseValue();
			// Like JSON.parse: "__proto__" becomes an own property, never the prototype.
			Object.defineProperty(result, key, { value, writable: true, enumerable: true, configurable: true });
			this.skipWhitespace();
			const char = this.text[this.position++];
			if (char === '}') return result;
			if (char !== ',') {
				this.position--;
				this.fail("Expected ',' or '}' in object");
			}
		}
	}
}
