/**
 * Whether an If-None-Match header names this entity tag, as RFC 9110 compares for it (and as Hono's etag
 * middleware does): a list of tags, weak or strong alike (`W/"…"` matches `"…"`), or `*`.
 */
export function ifNoneMatchHas(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  const opaque = etag.replace(/^W\//, '');
  return (header.match(/"[^"]*"/g) ?? []).some((tag) => tag === opaque);
}
