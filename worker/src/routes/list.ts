import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ChangesQuery, ChangesResponse, ListQuery, ListResponse } from '../../../shared';
import { readChangesPage } from '../db/changes';
import { readList } from '../db/list';
import { ApiError } from '../errors';
import { CONTENT_TYPES, toCsv, toText } from '../formats/list-formats';
import { authenticate, requireRole } from '../middleware/auth';
import { bearer, errors, json, newApp } from '../openapi';

export const list = newApp();
const READERS = ['reader', 'analyst', 'reviewer', 'admin'] as const;

const getList = createRoute({
  method: 'get',
  path: '/v1/list',
  summary: 'The list at its current version',
  description:
    'Every listed or disputed indicator, with the version it is at and its checksum. format=json (default), csv or txt. ' +
    'The ETag names the version: send it back in If-None-Match to get 304 while nothing changed.',
  security: bearer,
  middleware: [authenticate(), requireRole(...READERS)] as const,
  request: { query: ListQuery },
  responses: {
    200: {
      description: 'The list',
      content: {
        'application/json': { schema: ListResponse },
        'text/csv': { schema: z.string() },
        'text/plain': { schema: z.string() },
      },
    },
    304: { description: 'Unchanged since the ETag sent in If-None-Match' },
    ...errors(400, 401, 403),
  },
});

const etagOf = (version: number, format: string, kind?: string) => `"v${version}-${format}${kind ? `-${kind}` : ''}"`;

list.openapi(getList, async (c) => {
  const { format, kind } = c.req.valid('query');
  const { head, entries } = await readList(c.env.DB, kind);
  const etag = etagOf(head.version, format, kind);
  const headers = { etag, 'cache-control': 'private, no-cache', 'x-list-version': String(head.version), 'x-list-checksum': head.checksum };
  const ifNoneMatch = c.req.header('if-none-match');
  if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag)) return c.body(null, 304, headers) as never;
  if (format === 'json') return c.json({ version: head.version, checksum: head.checksum, entries }, 200, headers);
  const text = format === 'csv' ? toCsv(entries) : toText(entries, head.version, head.checksum);
  return c.body(text, 200, { ...headers, 'content-type': CONTENT_TYPES[format] }) as never;
});

const getChanges = createRoute({
  method: 'get',
  path: '/v1/changes',
  summary: 'Changes to the list after a version',
  description:
    'Pages of changes after `since`, oldest first: upserts, and removals as tombstones. Apply them in order; after each page ' +
    'your list must match `checksum`. Continue with since=`next` while `more`; then wait `pollAfterSeconds`. ' +
    'A version older than the change log keeps answers 410 resync_required: fetch /v1/list and continue from its version.',
  security: bearer,
  middleware: [authenticate(), requireRole(...READERS)] as const,
  request: { query: ChangesQuery },
  responses: { 200: json(ChangesResponse, 'A page of changes'), ...errors(400, 401, 403, 410) },
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
  return c.json(
    {
      changes: page.changes.map(({ checksum: _, ...change }) => change),
      next: last?.version ?? since,
      more: page.more,
      checksum: last?.checksum ?? page.head.checksum,
      pollAfterSeconds: page.more ? 0 : Number(c.env.POLL_AFTER_SECONDS) || 300,
    },
    200,
  );
});
