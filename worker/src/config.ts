import { z } from 'zod';

/** The deployment's settings (wrangler.jsonc `vars`), parsed once, with a clear error for a bad value. */
const Config = z.object({
  LISTING_THRESHOLD: z.coerce.number().int().min(1).max(100).default(2),
  POLL_AFTER_SECONDS: z.coerce.number().int().min(1).max(86_400).default(60),
  CHANGES_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(90),
  EXPIRY_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  DISPUTE_DEADLINE_DAYS: z.coerce.number().int().min(1).max(365).default(14),
  PROTECTED_DOMAINS: z
    .string()
    .default('')
    .transform((list) =>
      list
        .split(',')
        .map((d) => d.trim().toLowerCase())
        .filter(Boolean),
    ),
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
