import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../types';

/**
 * A request id the server makes for every request, sent back in X-Request-Id and in every error body. A
 * client-chosen id is never echoed: logs and support tickets can trust it names one request of ours.
 */
export const serverRequestId = (): MiddlewareHandler<AppEnv> =>
  async function serverRequestId(c, next) {
    const id = crypto.randomUUID();
    c.set('requestId', id);
    await next();
    // Set on the answer itself: a handler that returns a ready Response (a cached snapshot) skips c.header().
    try {
      c.res.headers.set('X-Request-Id', id);
    } catch {
      // A Response with immutable headers (straight from fetch or a cache): copy it once.
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set('X-Request-Id', id);
    }
  };
