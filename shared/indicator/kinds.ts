import { z } from 'zod';

export const INDICATOR_KINDS = ['domain', 'host', 'url', 'app', 'merchant', 'wallet', 'handle'] as const;
export const IndicatorKind = z.enum(INDICATOR_KINDS);
export type IndicatorKind = z.infer<typeof IndicatorKind>;

/** One listable thing, always in canonical form: `value` is what parseIndicator produced. */
export const Indicator = z.object({
  kind: IndicatorKind,
  value: z.string().min(1).max(2048),
});
export type Indicator = z.infer<typeof Indicator>;

/** `kind:value`, the one string form that always parses back to the same indicator. */
export const expressionOf = (indicator: Indicator): string => `${indicator.kind}:${indicator.value}`;
