import type { LlmUsage } from '../../ports/llm.js';

export type TokenPrice = { input: number; output: number };

// USD per million tokens, list prices when written; an estimate for metering, not an invoice.
// LLM_PRICE_INPUT_PER_MTOK / LLM_PRICE_OUTPUT_PER_MTOK override it (e.g. for a self-hosted model).
const LIST_PRICES: Record<string, TokenPrice> = {
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-4.1': { input: 2, output: 8 },
};

/** Price of a model: the configured override, else the list (longest matching prefix, so dated snapshots match), else 0. */
export function priceOf(model: string, override?: TokenPrice): TokenPrice {
  if (override) return override;
  const key = Object.keys(LIST_PRICES)
    .filter((name) => model === name || model.startsWith(`${name}-`))
    .sort((a, b) => b.length - a.length)[0];
  return key ? LIST_PRICES[key]! : { input: 0, output: 0 };
}

/** Estimated cost in micro-dollars (integer). */
export function estimateCostMicros(usage: LlmUsage, price: TokenPrice): number {
  return Math.round(usage.inputTokens * price.input + usage.outputTokens * price.output);
}
