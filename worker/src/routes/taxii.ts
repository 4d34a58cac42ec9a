import { Hono, type Context } from 'hono';
import { CONSENSUS_STATUS, stixIdentity, stixIndicator } from '../../../shared';
import { readChangeFeed, type FeedChange } from '../db/change-feed';
import { ApiError } from '../errors';
import { authenticate, requireRole } from '../middleware/auth';
import type { AppEnv } from '../types';

/*
 * TAXII 2.1 (read-only) so MISP, OpenCTI and other threat-intel platforms can subscribe: one API root,
 * one collection holding the list as STIX 2.1 indicators. Objects come from the change log in version
 * order; `next` is a version number, so paging is exact even when many changes share a timestamp.
 * A removal is the indicator again with `revoked: true`.
 */
export const taxii = new Hono<AppEnv>();

const TAXII = 'application/taxii+json;version=2.1';
export const COLLECTION_ID = '6a7f2b1c-3d4e-4f50-8a61-9b7c8d9e0f12';
const COLLECTION = {
  id: COLLECTION_ID,
  title: 'Flagline list',
  description: 'Nudify services (sites, apps, merchant accounts, wallets, handles) listed by Flagline.',
  can_read: true,
  can_write: false,
  media_types: ['application/stix+json;version=2.1'],
};

const taxiiJson = (c: Context<AppEnv>, body: unknown, headers: Record<string, string> = {}) =>
  c.body(JSON.stringify(body), 200, { 'content-type': TAXII, ...headers });

taxii.use('/taxii2/*', authenticate(), requireRole('reader', 'analyst', 'reviewer', 'admin'));

taxii.get('/taxii2/', (c) =>
  taxiiJson(c, { title: 'Flagline TAXII server', description: 'The Flagline list as STIX 2.1.', default: '/taxii2/api/', api_roots: ['/taxii2/api/'] }),
);

taxii.get('/taxii2/api/', (c) => taxiiJson(c, { title: 'Flagline', versions: [TAXII], max_content_length: 10_485_760 }));

taxii.get('/taxii2/api/collections/', (c) => taxiiJson(c, { collections: [COLLECTION] }));

const collection = (c: Context<AppEnv>) => {
  if (c.req.param('id') !== COLLECTION_ID) throw new ApiError(404, 'not_found', 'No such collection.');
};

taxii.get('/taxii2/api/collections/:id/', (c) => {
  collection(c);
  return taxiiJson(c, COLLECTION);
});

function page(c: Context<AppEnv>) {
  const next = c.req.query('next');
  const addedAfter = c.req.query('added_after');
  const limit = Number(c.req.query('limit') ?? 1000);
  if (next !== undefined && !/^\d+$/.test(next)) throw new ApiError(400, 'invalid_request', '`next` is the value from the previous page.');
  if (addedAfter !== undefined && Number.isNaN(Date.parse(addedAfter)))
    throw new ApiError(400, 'invalid_request', '`added_after` must be an RFC 3339 timestamp.');
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new ApiError(400, 'invalid_request', '`limit` is 1 to 10,000.');
  return { afterVersion: next ? Number(next) : 0, addedAfter: addedAfter ? new Date(addedAfter).toISOString() : null, limit };
}

const stamps = (rows: FeedChange[]): Record<string, string> =>
  rows.length ? { 'X-TAXII-Date-Added-First': rows[0]!.createdAt, 'X-TAXII-Date-Added-Last': rows.at(-1)!.createdAt } : {};

async function stixObject(change: FeedChange) {
  const indicator = await stixIndicator({
    kind: change.kind,
    value: change.value,
    // A removal carries no status; its STIX object is the last listing, revoked.
    status: change.status ?? CONSENSUS_STATUS,
    reasons: change.reasons,
    orgCount: change.orgCount,
    createdAt: change.firstSeen,
    updatedAt: change.createdAt,
  });
  return change.op === 'remove' ? { ...indicator, revoked: true } : indicator;
}

taxii.get('/taxii2/api/collections/:id/objects/', async (c) => {
  collection(c);
  const query = page(c);
  const { rows, more } = await readChangeFeed(c.env.DB, query);
  const objects = await Promise.all(rows.map(stixObject));
  // The identity the indicators point to travels with the first page.
  if (query.afterVersion === 0 && !query.addedAfter) objects.unshift(stixIdentity() as never);
  return taxiiJson(c, { more, ...(more ? { next: String(rows.at(-1)!.version) } : {}), objects }, stamps(rows));
});

taxii.get('/taxii2/api/collections/:id/manifest/', async (c) => {
  collection(c);
  const query = page(c);
  const { rows, more } = await readChangeFeed(c.env.DB, query);
  const objects = await Promise.all(
    rows.map(async (row) => {
      const object = await stixObject(row);
      return { id: object.id, date_added: row.createdAt, version: object.modified, media_type: 'application/stix+json;version=2.1' };
    }),
  );
  return taxiiJson(c, { more, ...(more ? { next: String(rows.at(-1)!.version) } : {}), objects }, stamps(rows));
});
