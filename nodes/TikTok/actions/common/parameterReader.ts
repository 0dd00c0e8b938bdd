import type { IExecuteFunctions, IExecuteSingleFunctions, INodeProperties, INodePropertyOptions } from 'n8n-workflow';

import {
	parseBoolean,
	parseNumber,
	parseOption,
	parseText,
	type NumberRule,
	type TextRule,
} from '../../shared/parameters';

type Getter = (name: string, fallback: unknown) => unknown;

/**
 * Reads one item's parameters as exactly the types the node needs (shared/parameters.ts), named
 * in messages by the fields' own display names. Each operation passes its own field list, so the
 * allowed values of an option are the ones its field offers.
 */
export class ParameterReader {
	private constructor(
		private readonly get: Getter,
		private readonly properties: INodeProperties[],
	) {}

	static forItem(ctx: IExecuteFunctions, itemIndex: number, properties: INodeProperties[]): ParameterReader {
		return new ParameterReader((name, fallback) => ctx.getNodeParameter(name, itemIndex, fallback), properties);
	}

	static forSingleItem(ctx: IExecuteSingleFunctions, properties: INodeProperties[]): ParameterReader {
		return new ParameterReader((name, fallback) => ctx.getNodeParameter(name, fallback), properties);
	}

	/** The value as n8n resolved it (expressions evaluated), for the few fields with their own parser. */
	raw(name: string, fallback?: unknown): unknown {
		return this.get(name, fallback ?? this.property(name)?.default);
	}

	boolean(name: string): boolean {
		const fallback = this.property(name)?.default;
		return parseBoolean(this.value(name), this.label(name), fallback === true);
	}

	number(name: string, rule: Omit<NumberRule, 'fallback'> & { fallback?: number } = {}): number {
		const declared = this.property(name);
		const typeOptions = declared?.typeOptions ?? {};
		const fallback = rule.fallback ?? (typeof declared?.default === 'number' ? declared.default : undefined);
		return parseNumber(this.value(name), this.label(name), {
			min: rule.min ?? (typeof typeOptions.minValue === 'number' ? typeOptions.minValue : undefined),
			max: rule.max ?? (typeof typeOptions.maxValue === 'number' ? typeOptions.maxValue : undefined),
			integer: rule.integer ?? typeOptions.numberPrecision === 0,
			unit: rule.unit,
			fallback,
		});
	}

	/** One of the values the field's options list offers. */
	option<T extends string>(name: string): T {
		const declared = this.property(name);
		const choices = ((declared?.options ?? []) as INodePropertyOptions[])
			.filter((choice) => typeof choice.value === 'string')
			.map((choice) => ({ value: choice.value as T, name: choice.name }));
		const fallback = typeof declared?.default === 'string' && declared.default !== '' ? (declared.default as T) : undefined;
		return parseOption(this.value(name), this.label(name), choices, fallback);
	}

	text(name: string, rule: TextRule = {}): string {
		return parseText(this.value(name), this.label(name), rule);
	}

	/** n8n throws for a parameter that resolves to undefined: ask with the field's default (or null). */
	private value(name: string): unknown {
		return this.get(name, this.property(name)?.default ?? null);
	}

	/** The field's display name, e.g. "Chunk Size (MB)" for options.chunkSizeMb. */
	label(name: string): string {
		return this.property(name)?.displayName ?? name;
	}

	private property(name: string): INodeProperties | undefined {
		const [top, inner] = name.split('.');
		const field = this.properties.find((property) => property.name === top);
		if (!inner) return field;
		return ((field?.options ?? []) as INodeProperties[]).find((option) => option.name === inner);
	}
}
