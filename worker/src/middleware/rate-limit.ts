import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../errors';
import type { AppEnv } from '../types';
import { clientBucket } from './client-address';

type Limiter = 'FLAG_LIMIT' | 'LOOKUP_LIMIT' | 'PUBLIC_LIMIT' | 'DISPUTE_LIMIT';
/** The period each limiter counts over (wrangler.jsonc): a refused client may try again after it. */
const PERIOD_SECONDS: Record<Limiter, number> = { FLAG_LIMIT: 60, LOOKUP_LIMIT: 60, PUBLIC_LIMIT: 60, DISPUTE_LIMIT: 60 };

/** Who a limit counts: the API key for reads, the organization (all its keys) for writes, the client's address for public routes. */
export const byKey = (c: Context<AppEnv>) => `key:${c.get('caller').keyId}`;
export const byOrg = (c: Context<AppEnv>) => `org:${c.get('caller').orgId}`;
export const byClient = (c: Context<AppEnv>) => clientBucket(c.req.header('cf-connecting-ip'));

/**
 * Counts one request against a limiter (the binding counts); over the limit it sets Retry-After and answers
 * the refusal for the caller to raise or render (the HTML pages show it as a page, the API as the error shape).
 */
export async function overLimit(c: Context<AppEnv>, limiter: Limiter, keyOf: (c: Context<AppEnv>) => string): Promise<ApiError | null> {
  const { success } = await c.env[limiter].limit({ key: keyOf(c) });
  if (success) return null;
  c.header('Retry-After', String(PERIOD_SECONDS[limiter]));
  return new ApiError(
    429,
    'rate_limited',
    `Too many requests; try again in ${PERIOD_SECONDS[limiter]} seconds (the limits are per key for reads, per organization for writes, per address on public routes).`,
  );
}

/** Refuses a caller over its limit with 429, Retry-After and the one error shape. */
export const rateLimit = (limiter: Limiter, keyOf: (c: Context<AppEnv>) => string): MiddlewareHandler<AppEnv> =>
  async function rateLimit(c, next) {
    const refusal = await overLimit(c, limiter, keyOf);
    if (refusal) throw refusal;
    await next();
  };
