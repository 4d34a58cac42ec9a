import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../types';

/**
 * Compression the Workers way: naming an encoding in Content-Encoding makes the runtime compress the body
 * as it streams out (compressing it ourselves as well would do it twice). Lists and deltas are text that
 * shrinks several times over.
 */
export const compressText = (): MiddlewareHandler<AppEnv> =>
  async function compressText(c, next) {
    await next();
    const accepts = c.req.header('accept-encoding') ?? '';
    // gzip first: every client and proxy takes it (local dev's proxy advertises br even for gzip-only clients).
    const encoding = /\bgzip\b/.test(accepts) ? 'gzip' : /\bbr\b/.test(accepts) ? 'br' : null;
    if (!encoding || !c.res.body || c.res.headers.has('content-encoding')) return;
    c.res.headers.set('content-encoding', encoding);
    c.res.headers.append('vary', 'Accept-Encoding');
  };
