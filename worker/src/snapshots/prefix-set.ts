import { ifNoneMatchHas } from '../middleware/etag-match';
import { base64 } from '@scure/base';
import { prefixSetChecksum, prefixSetStatement, riceEncode, type PrefixSetResponse } from '../../../shared';
import { readHead } from '../db/changes';
import { readPrefixes } from '../db/prefixes';
import { ApiError } from '../errors';
import { sign, signingKey } from '../signing';
import { IMMUTABLE, versionCacheKey } from './cache';

// Named for the response's shape: a set cached by an older shape (before entriesCount) is never served.
const PREFIX_SET_CACHE_NAME = 'prefixes-rice-v5';
/** A set is named by its version and the key that signed it: after a key rotation the same version is signed anew. */
const etagOf = (version: number, keyId: string) => `"prefixes-v${version}-${keyId}"`;

/**
 * The signed Rice-coded prefix set at the current version. The version alone answers 304s and cache hits;
 * the prefixes are read from D1 only to build a new set, which is then cached for that version.
 */
export async function prefixSetResponse(env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }, ifNoneMatch: string | undefined): Promise<Response> {
  const current = await readHead(env.DB);
  const { keyId } = await signingKey(env);
  const cacheName = `${PREFIX_SET_CACHE_NAME}-${keyId}`;
  if (ifNoneMatchHas(ifNoneMatch, etagOf(current.version, keyId)))
    return new Response(null, { status: 304, headers: { etag: etagOf(current.version, keyId) } });
  const cached = await caches.default.match(versionCacheKey(current.version, cacheName));
  // The cached bytes go out as they are: no parse and re-serialize of a few megabytes per request.
  if (cached?.body) return new Response(cached.body, { headers: { 'content-type': 'application/json', etag: etagOf(current.version, keyId) } });

  const read = await readPrefixes(env.DB);
  if (!read) throw new ApiError(503, 'list_busy', 'The list changed three times while its prefix set was read; try again in a moment.');
  const { head, prefixes } = read;
  const encoded = riceEncode(prefixes);
  const checksum = prefixSetChecksum(prefixes);
  const body: PrefixSetResponse = {
    version: head.version,
    encoding: 'rice',
    riceParameter: encoded.riceParameter,
    firstValue: encoded.firstValue,
    entriesCount: encoded.entriesCount,
    entryCount: encoded.entryCount,
    encodedData: base64.encode(encoded.encodedData),
    checksum,
    signature: await sign(env, prefixSetStatement(head.version, checksum)),
  };
  const text = JSON.stringify(body);
  ctx.waitUntil(
    caches.default
      .put(versionCacheKey(head.version, cacheName), new Response(text, { headers: { ...IMMUTABLE, 'content-type': 'application/json' } }))
      .catch(() => undefined),
  );
  return new Response(text, { headers: { 'content-type': 'application/json', etag: etagOf(head.version, keyId) } });
}
