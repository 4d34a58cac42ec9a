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
    c.header('X-Request-Id', id);
    await next();
  };
