import { hex } from '@scure/base';
import { createRoute } from '@hono/zod-openapi';
import { expressionHash, expressionOf, FullHashRequest, FullHashResponse, prefixHex, PrefixSetResponse, type Reason } from '../../../shared';
import { readByPrefixes } from '../db/prefixes';
import { authenticate } from '../middleware/auth';
import { allow } from '../route-roles';
import { compressText } from '../middleware/compress';
import { jsonBodyGuard } from '../middleware/json-body';
import { byKey, rateLimit } from '../middleware/rate-limit';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { prefixSetResponse } from '../snapshots/prefix-set';

export const prefixes = newApp();

prefixes.openapi(
  createRoute({
    method: 'get',
    path: '/v1/prefixes',
    operationId: 'getPrefixSet',
    summary: 'The list as a compact set of 4-byte hash prefixes, for checks that tell the server nothing',
    description:
      'SHA-256("kind:value") of every listed indicator (e.g. "domain:example-demo.net"), first 4 bytes read big-endian, sorted, distinct and Rice-Golomb coded as a Safe Browsing v5 RiceDeltaEncoded32Bit (firstValue, riceParameter, entriesCount, encodedData). ' +
      'A client hashes what it checks (its url, host and domain expressions); only a prefix hit needs POST /v1/hashes to confirm. ' +
      'Cached per version; ETag names the version.',
    security: bearer,
    middleware: [authenticate(), ...allow('getPrefixSet'), compressText()] as const,
    responses: { 200: json(PrefixSetResponse, 'The prefix set'), 304: { description: 'Unchanged' }, ...errors(401, 403, 503) },
  }),
  async (c) => (await prefixSetResponse(c.env, c.executionCtx, c.req.header('if-none-match'))) as never,
);

prefixes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/hashes',
    operationId: 'getFullHashes',
    summary: 'Full hashes (and entries) behind hash prefixes',
    description: 'For up to 1,000 prefixes a client hit locally. The server learns the prefixes, never the page or input behind them.',
    security: bearer,
    middleware: [authenticate(), ...allow('getFullHashes'), rateLimit('LOOKUP_LIMIT', byKey), jsonBodyGuard()] as const,
    request: jsonBody(FullHashRequest),
    responses: { 200: json(FullHashResponse, 'Every listed entry with one of those prefixes'), ...errors(400, 401, 403, 415, 429) },
  }),
  async (c) => {
    const wanted = c.req.valid('json').prefixes.map((hex) => parseInt(hex, 16));
    const rows = await readByPrefixes(c.env.DB, wanted);
    const matches = rows.map((row) => ({
      prefix: prefixHex(row.hash_prefix),
      hash: hex.encode(expressionHash(expressionOf(row))),
      kind: row.kind,
      value: row.value,
      status: row.status,
      reasons: JSON.parse(row.reasons) as Reason[],
      orgCount: row.org_count,
    }));
    return c.json({ matches }, 200);
  },
);
