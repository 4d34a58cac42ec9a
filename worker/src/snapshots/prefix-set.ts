import { base64 } from '@scure/base';
import { prefixSetChecksum, prefixSetStatement, riceEncode, type PrefixSetResponse } from '../../../shared';
import { readHead } from '../db/changes';
import { readPrefixes } from '../db/prefixes';
import { sign } from '../signing';
import { IMMUTABLE, versionCacheKey } from './cache';

// Named for the response's shape: a set cached by an older shape (before entriesCount) is never served.
const PREFIX_SET_CACHE_NAME = 'prefixes-rice-v5';
const etagOf = (version: number) => `"prefixes-v${version}"`;

/**
 * The signed Rice-coded prefix set at the current version. The version alone answers 304s and cache hits;
 * the prefixes are read from D1 only to build a new set, which is then cached for that version.
 */
export async function prefixSetResponse(env: Env, ctx: { waitUntil(promise: Promise<unknown>): void }, ifNoneMatch: string | undefined): Promise<Response> {
  const current = await readHead(env.DB);
  if (ifNoneMatch === etagOf(current.version)) return new Response(null, { status: 304, headers: { etag: etagOf(current.version) } });
  const cached = await caches.default.match(versionCacheKey(current.version, PREFIX_SET_CACHE_NAME));
  if (cached) return Response.json(await cached.json<PrefixSetResponse>(), { headers: { etag: etagOf(current.version) } });

  const { head, prefixes } = await readPrefixes(env.DB);
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
  ctx.waitUntil(caches.default.put(versionCacheKey(head.version, PREFIX_SET_CACHE_NAME), Response.json(body, { headers: IMMUTABLE })));
  return Response.json(body, { headers: { etag: etagOf(head.version) } });
}
