import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../types';

/**
 * What the client itself accepts. Cloudflare (and wrangler dev's proxy) rewrite Accept-Encoding to
 * "br, gzip" before the worker sees it and keep the client's own value in cf.clientAcceptEncoding ("" when
 * it sent none); without that (tests, direct calls) the header is the client's.
 */
function clientAcceptEncoding(request: Request): string {
  const original = (request.cf as { clientAcceptEncoding?: unknown } | undefined)?.clientAcceptEncoding;
  return typeof original === 'string' ? original : (request.headers.get('accept-encoding') ?? '');
}

/**
 * Compression the Workers way: naming an encoding in Content-Encoding makes the runtime compress the body
 * as it streams out (compressing it ourselves as well would do it twice). Lists and deltas are text that
 * shrinks several times over.
 */
export const compressText = (): MiddlewareHandler<AppEnv> =>
  async function compressText(c, next) {
    await next();
    const accepts = clientAcceptEncoding(c.req.raw);
    // gzip first: every client and proxy takes it.
    const encoding = /\bgzip\b/.test(accepts) ? 'gzip' : /\bbr\b/.test(accepts) ? 'br' : null;
    if (!encoding || !c.res.body || c.res.headers.has('content-encoding')) return;
    c.res.headers.set('content-encoding', encoding);
    c.res.headers.append('vary', 'Accept-Encoding');
  };
