import { z } from 'zod';
import { expressionOf, IndicatorKind, KeyRotation, KIND_TABLE, SHORT_LIVED_KINDS, tryParseIndicator } from '../../shared';

/** The deployment's settings (wrangler.jsonc `vars`), parsed once, with a clear error for a bad value. */
const Config = z.object({
  LISTING_THRESHOLD: z.coerce.number().int().min(1).max(100).default(2),
  POLL_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  CHANGES_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  EXPIRY_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // "kind=days,…": a lifetime per kind, over EXPIRY_DAYS for url and host; 0 means never.
  EXPIRY_DAYS_BY_KIND: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const lifetimes: Partial<Record<IndicatorKind, number>> = {};
      for (const pair of text
        .split(',')
        .map((p) => p.trim())
        .filter(Boolean)) {
        const [kind, days] = pair.split('=').map((p) => p.trim());
        const parsedKind = IndicatorKind.safeParse(kind);
        const parsedDays = z.coerce.number().int().min(0).max(3650).safeParse(days);
        if (!parsedKind.success || !parsedDays.success) {
          ctx.addIssue({ code: 'custom', message: `"${pair}" is not kind=days (kinds: ${IndicatorKind.options.join(', ')}; days 0 to 3650)` });
          return z.NEVER;
        }
        lifetimes[parsedKind.data] = parsedDays.data;
      }
      return lifetimes;
    }),
  DISPUTE_DEADLINE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  // Flags one member organization may make in an hour, over all its keys, each item of a batch counted.
  FLAGS_PER_ORG_PER_HOUR: z.coerce.number().int().min(1).max(1_000_000).default(2000),
  PROTECTED_DOMAINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    ),
  // The operator's own apps and handles, as kind:value, comma-separated: never listed (like PROTECTED_DOMAINS).
  PROTECTED_IDENTIFIERS: z
    .string()
    .default('')
    .transform((list, ctx) => {
      const identifiers: string[] = [];
      for (const item of list
        .split(',')
        .map((d) => d.trim())
        .filter(Boolean)) {
        const parsed = tryParseIndicator(item);
        if (!parsed.ok || !KIND_TABLE[parsed.indicator.kind].namesOneOperator) {
          ctx.addIssue({ code: 'custom', message: `"${item}" is not an app, handle, merchant or wallet as kind:value` });
          return z.NEVER;
        }
        identifiers.push(expressionOf(parsed.indicator));
      }
      return identifiers;
    }),
  // The signing key's rotations, oldest first: statements `npm run rotate-key` prints, each signed by the key it
  // replaces. Public by design; served at /.well-known/flagline-key-rotations.json.
  KEY_ROTATIONS: z
    .string()
    .default('[]')
    .transform((text, ctx) => {
      try {
        return z.array(KeyRotation).parse(JSON.parse(text || '[]'));
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not a JSON array of the rotation statements npm run rotate-key prints' });
        return z.NEVER;
      }
    }),
});
export type Config = z.infer<typeof Config>;

const parsed = new WeakMap<object, Config>();

export function config(env: Env): Config {
  let found = parsed.get(env);
  if (!found) {
    const result = Config.safeParse(env);
    if (!result.success) {
      throw new Error(`wrangler.jsonc vars are invalid: ${result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    found = result.data;
    parsed.set(env, found);
  }
  return found;
}

/** How long a listing of each kind lives without a new flag or review: kinds absent never expire. */
export function lifetimes(cfg: Config): [IndicatorKind, number][] {
  const days: Partial<Record<IndicatorKind, number>> = Object.fromEntries(SHORT_LIVED_KINDS.map((kind) => [kind, cfg.EXPIRY_DAYS]));
  Object.assign(days, cfg.EXPIRY_DAYS_BY_KIND);
  return (Object.entries(days) as [IndicatorKind, number][]).filter(([, d]) => d > 0);
}
