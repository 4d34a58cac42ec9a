import { createRoute } from '@hono/zod-openapi';
import {
  expressionHash, FullHashRequest, FullHashResponse, prefixSetChecksum, prefixSetStatement, PrefixSetResponse, riceEncode, toHex,
  type Reason,
} from '../../../shared';
import { readHead } from '../db/changes';
import { readByPrefixes, readPrefixes } from '../db/prefixes';
import { authenticate, requireRole } from '../middleware/auth';
import { compressText } from '../middleware/compress';
import { jsonBodyGuard } from '../middleware/json-body';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { sign } from '../signing';

export const prefixes = newApp();
const READERS = ['reader', 'analyst', 'reviewer', 'admin'] as const;

const toBase64 = (bytes: Uint8Array) => {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
};

prefixes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/prefixes',
    summary: 'The list as a compact set of 4-byte hash prefixes, for checks that tell the server nothing',
    description:
      'SHA-256("kind:value") of every listed indicator, first 4 bytes, sorted and Rice-Golomb coded as Safe Browsing v4 does. ' +
      'A client hashes what it checks (its url, host and domain expressions); only a prefix hit needs POST /v1/hashes to confirm. ' +
      'Cached per version; ETag names the version.',
    security: bearer,
    middleware: [authenticate(), requireRole(...READERS), compressText()] as const,
    responses: { 200: json(PrefixSetResponse, 'The prefix set'), 304: { description: 'Unchanged' }, ...errors(401, 403) },
  }),
  async (c) => {
    // The version alone answers 304s and cache hits; the prefixes are read from D1 only to build a new set.
    const current = await readHead(c.env.DB);
    const etagOf = (version: number) => `"prefixes-v${version}"`;
    if (c.req.header('if-none-match') === etagOf(current.version)) return c.body(null, 304, { etag: etagOf(current.version) }) as never;
    const cacheKeyOf = (version: number) => `https://snapshots.flagline.internal/v${version}/prefixes`;
    const cached = await caches.default.match(cacheKeyOf(current.version));
    if (cached) return c.json(await cached.json<PrefixSetResponse>(), 200, { etag: etagOf(current.version) });
    const { head, prefixes: set } = await readPrefixes(c.env.DB);
    const etag = etagOf(head.version);
    const cacheKey = cacheKeyOf(head.version);
    const encoded = riceEncode(set);
    const checksum = prefixSetChecksum(set);
    const body: PrefixSetResponse = {
      version: head.version,
      encoding: 'rice',
      riceParameter: encoded.riceParameter,
      firstValue: encoded.firstValue,
      entryCount: encoded.entryCount,
      encodedData: toBase64(encoded.encodedData),
      checksum,
      signature: await sign(c.env, prefixSetStatement(head.version, checksum)),
    };
    c.executionCtx.waitUntil(caches.default.put(cacheKey, Response.json(body, { headers: { 'cache-control': 'public, max-age=31536000, immutable' } })));
    return c.json(body, 200, { etag });
  },
);

prefixes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/hashes',
    summary: 'Full hashes (and entries) behind hash prefixes',
    description: 'For up to 1,000 prefixes a client hit locally. The server learns the prefixes, never the page or input behind them.',
    security: bearer,
    middleware: [authenticate(), requireRole(...READERS), jsonBodyGuard()] as const,
    request: jsonBody(FullHashRequest),
    responses: { 200: json(FullHashResponse, 'Every listed entry with one of those prefixes'), ...errors(400, 401, 403, 415) },
  }),
  async (c) => {
    const wanted = c.req.valid('json').prefixes.map((hex) => parseInt(hex, 16));
    const rows = await readByPrefixes(c.env.DB, wanted);
    const matches = rows.map((row) => ({
        prefix: row.hash_prefix.toString(16).padStart(8, '0'),
        hash: toHex(expressionHash(`${row.kind}:${row.value}`)),
        kind: row.kind,
        value: row.value,
        status: row.status,
        reasons: JSON.parse(row.reasons) as Reason[],
        orgCount: row.org_count,
      }));
    return c.json({ matches }, 200);
  },
);
