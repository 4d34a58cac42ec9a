import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors';
import type { AppEnv } from '../types';

type Limiter = 'FLAG_LIMIT' | 'LOOKUP_LIMIT' | 'PUBLIC_LIMIT';
/** The period each limiter counts over (wrangler.jsonc): a refused client may try again after it. */
const PERIOD_SECONDS: Record<Limiter, number> = { FLAG_LIMIT: 60, LOOKUP_LIMIT: 60, PUBLIC_LIMIT: 60 };

/** Who a limit counts: the API key for authenticated routes, the client's address for public ones. */
export const byKey = (c: Context<AppEnv>) => `key:${c.get('caller').keyId}`;
export const byClient = (c: Context<AppEnv>) => `ip:${c.req.header('cf-connecting-ip') ?? 'unknown'}`;

/** Refuses a caller over its limit with 429, Retry-After and the one error shape (the binding counts). */
export const rateLimit = (limiter: Limiter, keyOf: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> =>
  async function rateLimit(c, next) {
    const { success } = await c.env[limiter].limit({ key: keyOf(c) });
    if (!success) {
      c.header('Retry-After', String(PERIOD_SECONDS[limiter]));
      throw new ApiError(
        429,
        'rate_limited',
        `Too many requests; try again in ${PERIOD_SECONDS[limiter]} seconds (the limits are per key, or per address on public routes).`,
      );
    }
    await next();
  };
