import { etag } from 'hono/etag';
import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  ChangesQuery,
  ChangesResponse,
  changesStatement,
  FORMATS,
  formatsHolding,
  KeyRotations,
  listStatement,
  ListQuery,
  rotationHolds,
  ListResponse,
  PublicKeys,
  StixBundle,
} from '../../../shared';
import { config } from '../config';
import { readChangesPage } from '../db/changes';
import { ApiError } from '../errors';
import { authenticate } from '../middleware/auth';
import { allow } from '../route-roles';
import { compressText } from '../middleware/compress';
import { byClient, rateLimit } from '../middleware/rate-limit';
import { bearer, errors, json, newApp } from '../openapi';
import { sign, signingKey } from '../signing';
import { snapshotResponse } from '../snapshots/build';

export const list = newApp();

const getList = createRoute({
  method: 'get',
  path: '/v1/list',
  operationId: 'getList',
  summary: 'The list at its current version, in the format your system loads',
  description:
    'Every listed or disputed indicator at the current version, built in pages and cached per version. format=json (default), ndjson, csv, txt, ' +
    'hosts, rpz (a DNS response policy zone) or stix (a STIX 2.1 bundle); filter with kind and reason. The ETag names the version: send it in ' +
    'If-None-Match for 304 while nothing changed. Flagline-Signature signs "flagline-list-v1:{version}:{checksum}"; Flagline-Body-Signature signs ' +
    '"flagline-body-v1:{format}:{version}:{sha256 of the body}". Verify with /.well-known/flagline-keys.json. Compressed when you accept gzip.',
  security: bearer,
  middleware: [authenticate(), ...allow('getList'), compressText()] as const,
  request: { query: ListQuery },
  responses: {
    200: {
      description: 'The list',
      content: {
        'application/json': { schema: ListResponse },
        'application/x-ndjson': { schema: z.string() },
        'text/csv': { schema: z.string() },
        'text/plain': { schema: z.string() },
        'text/dns': { schema: z.string() },
        'application/stix+json;version=2.1': { schema: StixBundle },
      },
    },
    304: { description: 'Unchanged since the ETag sent in If-None-Match' },
    ...errors(400, 401, 403),
  },
});

list.openapi(getList, async (c) => {
  const { format, kind, reason } = c.req.valid('query');
  const holds = FORMATS[format].kinds;
  if (kind && holds && !holds.includes(kind)) {
    throw new ApiError(400, 'invalid_request', `format=${format} holds ${holds.join(' and ')} only; use ${formatsHolding(kind).join(', ')} for ${kind}.`);
  }
  return (await snapshotResponse(c.env, c.executionCtx, { format, kind, reason }, c.req.header('if-none-match'), c.req.method === 'HEAD')) as never;
});

const getChanges = createRoute({
  method: 'get',
  path: '/v1/changes',
  operationId: 'getChanges',
  summary: 'Changes to the list after a version',
  description:
    'Pages of changes after `since`, oldest first: upserts, and removals as tombstones. Apply them in order; after each page ' +
    'your list must match `checksum`, and `signature` signs "flagline-list-v1:{next}:{checksum}". Continue with since=`next` while `more`; then wait ' +
    '`pollAfterSeconds`. A version older than the change log keeps answers 410 resync_required: fetch /v1/list and continue from its version.',
  security: bearer,
  // A delta page never changes once written: its ETag comes from its bytes (Hono's etag middleware, inside compression).
  middleware: [authenticate(), ...allow('getChanges'), compressText(), etag()] as const,
  request: { query: ChangesQuery },
  responses: {
    200: json(ChangesResponse, 'A page of changes'),
    304: { description: 'Unchanged since the ETag sent in If-None-Match' },
    ...errors(400, 401, 403, 410),
  },
});

list.openapi(getChanges, async (c) => {
  const { since, limit } = c.req.valid('query');
  const page = await readChangesPage(c.env.DB, since, limit);
  if (since < page.prunedBefore || since > page.head.version) {
    throw new ApiError(
      410,
      'resync_required',
      since > page.head.version
        ? `Version ${since} is ahead of the server (at ${page.head.version}); resync from /v1/list.`
        : `Changes before version ${page.prunedBefore} are no longer kept; resync from /v1/list and continue from its version.`,
    );
  }
  const last = page.changes.at(-1);
  const next = last?.version ?? since;
  const checksum = last?.checksum ?? page.head.checksum;
  const changes = page.changes.map(({ checksum: _, ...change }) => change);
  return c.json(
    {
      changes,
      next,
      more: page.more,
      checksum,
      signature: await sign(c.env, listStatement(next, checksum)),
      changesSignature: await sign(c.env, changesStatement(since, next, changes)),
      pollAfterSeconds: page.more ? 0 : config(c.env).POLL_AFTER_SECONDS,
    },
    200,
  );
});

list.openapi(
  createRoute({
    method: 'get',
    path: '/.well-known/flagline-keys.json',
    operationId: 'getPublicKeys',
    security: [], // public: no key needed
    summary: 'The public keys that sign lists, delta pages and snapshot files (JWKS)',
    // An ETag from the body (Hono's etag middleware): a client sends it back and gets 304 while the key set stands.
    middleware: [rateLimit('PUBLIC_LIMIT', byClient), etag()] as const,
    responses: { 200: json(PublicKeys, 'The keys'), 304: { description: 'Unchanged since the ETag sent in If-None-Match' }, ...errors(429) },
  }),
  async (c) => {
    const key = await signingKey(c.env);
    return c.json({ keys: [key.publicJwk as z.infer<typeof PublicKeys>['keys'][number]] }, 200, { 'cache-control': 'public, max-age=3600' });
  },
);

list.openapi(
  createRoute({
    method: 'get',
    path: '/.well-known/flagline-key-rotations.json',
    operationId: 'getKeyRotations',
    security: [], // public: a statement proves itself by the old key's signature
    summary: "The signing key's rotations: each hands over from a key to its successor, signed by the old key",
    description:
      'A client that pinned an older key follows the chain of statements from its pin to the key /.well-known/flagline-keys.json serves, ' +
      'checking each signature with the key it hands over from ("flagline-rotation-v1:{fingerprint of from}:{fingerprint of to}:{at}"; a ' +
      'fingerprint is the SHA-256 of the raw public key, in hex). Statements that do not verify are not served.',
    middleware: [rateLimit('PUBLIC_LIMIT', byClient), etag()] as const,
    responses: {
      200: json(KeyRotations, 'The rotations, oldest first'),
      304: { description: 'Unchanged since the ETag sent in If-None-Match' },
      ...errors(429),
    },
  }),
  async (c) => {
    const rotations = config(c.env).KEY_ROTATIONS;
    const holding = await Promise.all(rotations.map(rotationHolds));
    return c.json({ rotations: rotations.filter((_, i) => holding[i]) }, 200, { 'cache-control': 'public, max-age=3600' });
  },
);
