import { Hono, type Context, type MiddlewareHandler } from 'hono';
import { CONSENSUS_STATUS, ErrorBody, stixIdentity, stixIndicator, stixIndicatorId, stixServiceRelationship } from '../../../shared';
import { readChangeFeed, readServiceAnchors, type FeedChange, type FeedQuery, type VersionMatch } from '../db/change-feed';
import { ApiError } from '../errors';
import { authenticate, requireRole } from '../middleware/auth';
import type { AppEnv } from '../types';

/*
 * TAXII 2.1 (read-only), as the specification defines it, so MISP, OpenCTI and other threat-intel platforms
 * can subscribe: one API root, one collection holding the list as STIX 2.1 indicators. Each change is one
 * version of its indicator's object (a removal: the object again, revoked); objects come in version order
 * and `next` is a version number, so paging is exact even when many changes share a timestamp. An indicator of a
 * service comes with the `related-to` relationship a STIX snapshot file holds for it (same id, same target).
 */
export const taxii = new Hono<AppEnv>();

const TAXII = 'application/taxii+json;version=2.1';
const STIX = 'application/stix+json;version=2.1';
export const COLLECTION_ID = '6a7f2b1c-3d4e-4f50-8a61-9b7c8d9e0f12';
const COLLECTION = {
  id: COLLECTION_ID,
  title: 'Flagline list',
  description: 'Nudify services (sites, apps, merchant accounts, wallets, handles) listed by Flagline.',
  can_read: true,
  can_write: false,
  media_types: [STIX],
};
const IDENTITY = stixIdentity();
const MAX_LIMIT = 10_000;

const taxiiJson = (c: Context<AppEnv>, body: unknown, headers: Record<string, string> = {}) =>
  c.body(JSON.stringify(body), 200, { 'content-type': TAXII, ...headers });

/** Every failure as a TAXII error message with the TAXII media type; a 401 says to use Basic auth. */
const taxiiErrors = (): MiddlewareHandler<AppEnv> =>
  async function taxiiErrors(c, next) {
    await next();
    const status = c.res.status;
    if (status < 400) return;
    const parsed = ErrorBody.safeParse(
      await c.res
        .clone()
        .json()
        .catch(() => null),
    );
    const error = parsed.success ? parsed.data.error : { code: 'internal_error', message: 'The request failed.', requestId: c.get('requestId') ?? '' };
    c.res = new Response(
      JSON.stringify({
        title: error.code.replaceAll('_', ' '),
        description: error.message,
        error_id: error.requestId,
        error_code: error.code,
        http_status: String(status),
      }),
      { status, headers: { 'content-type': TAXII, ...(status === 401 ? { 'www-authenticate': 'Basic realm="Flagline TAXII", charset="UTF-8"' } : {}) } },
    );
  };

/** A media range that admits TAXII 2.1: any, any application type, or taxii+json without a version or at 2.1. */
const admitsTaxii21 = (range: string) => {
  const [type = '', ...params] = range.split(';').map((p) => p.trim().toLowerCase());
  if (type === '*/*' || type === 'application/*') return true;
  const version = params.find((p) => p.startsWith('version='))?.slice('version='.length);
  return type === 'application/taxii+json' && (version === undefined || version === '2.1');
};

/** 406 when the client accepts neither TAXII 2.1 nor anything: the spec's content negotiation (2.0 is not served). */
const acceptsTaxii = (): MiddlewareHandler<AppEnv> =>
  async function acceptsTaxii(c, next) {
    const accept = c.req.header('accept');
    if (accept && !accept.split(',').some(admitsTaxii21)) {
      throw new ApiError(406, 'not_acceptable', `This TAXII server answers ${TAXII}; the Accept header asks for none of it.`);
    }
    await next();
  };

// Basic auth (the key as password) only here: TAXII clients send that; the API proper takes Bearer keys.
taxii.use('/taxii2/*', taxiiErrors(), acceptsTaxii(), authenticate({ allowBasic: true }), requireRole('reader', 'analyst', 'reviewer', 'admin'));

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

const bad = (message: string) => new ApiError(400, 'invalid_request', message);
const list = (value: string | undefined) =>
  value === undefined
    ? null
    : value
        .split(',')
        .map((v) => v.trim())
        .filter(Boolean);
const rfc3339 = (value: string, name: string) => {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw bad(`\`${name}\` must be an RFC 3339 timestamp, like 2026-01-02T03:04:05.000Z.`);
  }
  return new Date(value).toISOString();
};

interface Filters extends FeedQuery {
  /** The first page of an unfiltered-by-time read also carries Flagline's identity (the indicators' creator). */
  identity: boolean;
  indicators: boolean;
  /** The relationships tying a service's indicators (not when asked for objects by id: those name indicators). */
  relationships: boolean;
}

/** The spec's query parameters: limit, next, added_after and match[id|type|version|spec_version]. */
function filters(c: Context<AppEnv>, objectId?: string, allVersions = false): Filters {
  const next = c.req.query('next');
  const addedAfter = c.req.query('added_after');
  const asked = Number(c.req.query('limit') ?? 1000);
  if (next !== undefined && !/^\d{1,15}$/.test(next)) throw bad('`next` is the value from the previous page.');
  if (!Number.isInteger(asked) || asked < 1) throw bad('`limit` is a whole number from 1.');
  // The spec lets a server answer fewer than asked: a larger limit is served as the largest page.
  const limit = Math.min(asked, MAX_LIMIT);
  const ids = objectId ? [objectId] : list(c.req.query('match[id]'));
  const types = list(c.req.query('match[type]'));
  const specVersions = list(c.req.query('match[spec_version]'));
  const versions: VersionMatch = { keywords: [], at: [] };
  for (const v of allVersions ? ['all'] : (list(c.req.query('match[version]')) ?? ['last'])) {
    if (v === 'last' || v === 'first' || v === 'all') versions.keywords.push(v);
    else versions.at.push(rfc3339(v, 'match[version]'));
  }
  const specOk = !specVersions || specVersions.includes('2.1');
  const identityVersionOk = versions.keywords.length > 0 || versions.at.includes(IDENTITY.modified);
  return {
    afterVersion: next ? Number(next) : 0,
    addedAfter: addedAfter === undefined ? null : rfc3339(addedAfter, 'added_after'),
    limit,
    versions,
    stixIds: ids,
    identity:
      specOk &&
      next === undefined &&
      addedAfter === undefined &&
      (!types || types.includes('identity')) &&
      (!ids || ids.includes(IDENTITY.id)) &&
      identityVersionOk,
    indicators: specOk && (!types || types.includes('indicator')),
    relationships: specOk && !ids && (!types || types.includes('relationship')),
  };
}

async function stixObject(change: FeedChange) {
  const indicator = await stixIndicator({
    kind: change.kind,
    value: change.value,
    // A removal carries no status; its STIX object is the last listing, revoked.
    status: change.status ?? CONSENSUS_STATUS,
    reasons: change.reasons,
    orgCount: change.orgCount,
    ...(change.service ? { service: change.service } : {}),
    createdAt: change.firstSeen,
    updatedAt: change.createdAt,
  });
  return change.op === 'remove' ? { ...indicator, revoked: true } : indicator;
}

type StixObject = Awaited<ReturnType<typeof stixObject>> | ReturnType<typeof stixServiceRelationship>;

/**
 * One page of object versions: the identity first when it belongs, then each change's indicator and its service
 * relationship (where it has one); `limit` counts every object, so a page ends before a change that would not fit.
 */
async function readPage(c: Context<AppEnv>, f: Filters) {
  const rowLimit = f.limit - (f.identity ? 1 : 0);
  const wanted = f.indicators || f.relationships;
  const read = wanted && rowLimit > 0 ? await readChangeFeed(c.env.DB, { ...f, limit: rowLimit }) : { rows: [], more: false };
  const anchors = f.relationships ? await readServiceAnchors(c.env.DB, [...new Set(read.rows.flatMap((r) => (r.service ? [r.service] : [])))]) : new Map();
  const changes: { row: FeedChange; objects: StixObject[] }[] = [];
  let count = f.identity ? 1 : 0;
  let more = read.more;
  for (const row of read.rows) {
    const objects: StixObject[] = [];
    const indicator = await stixObject(row);
    if (f.indicators) objects.push(indicator);
    const anchor = row.op === 'upsert' && row.service ? anchors.get(row.service) : undefined;
    if (anchor && !(anchor.kind === row.kind && anchor.value === row.value)) {
      objects.push(
        stixServiceRelationship(
          row.service!,
          { ...row, status: row.status!, createdAt: row.firstSeen, updatedAt: row.createdAt },
          stixIndicatorId(anchor.kind, anchor.value),
        ),
      );
    }
    if (count + objects.length > f.limit && changes.length) {
      more = true;
      break;
    }
    count += objects.length;
    changes.push({ row, objects });
  }
  const rows = changes.map((change) => change.row);
  // A page holding only the identity still says where the indicators begin.
  const moreAfterIdentity = f.identity && rowLimit === 0 && wanted && (await readChangeFeed(c.env.DB, { ...f, limit: 1 })).rows.length > 0;
  const headers: Record<string, string> = rows.length
    ? { 'X-TAXII-Date-Added-First': rows[0]!.createdAt, 'X-TAXII-Date-Added-Last': rows.at(-1)!.createdAt }
    : {};
  const nextVersion = rows.length ? rows.at(-1)!.version : f.afterVersion;
  return { changes, identity: f.identity, more: more || moreAfterIdentity, next: String(nextVersion), headers };
}

const envelope = (page: { more: boolean; next: string }, key: string, items: unknown[]) => ({
  more: page.more,
  ...(page.more ? { next: page.next } : {}),
  [key]: items,
});

taxii.get('/taxii2/api/collections/:id/objects/', async (c) => {
  collection(c);
  const page = await readPage(c, filters(c));
  const objects = [...(page.identity ? [IDENTITY] : []), ...page.changes.flatMap((change) => change.objects)];
  return taxiiJson(c, envelope(page, 'objects', objects), page.headers);
});

taxii.get('/taxii2/api/collections/:id/objects/:objectId/', async (c) => {
  collection(c);
  const page = await readPage(c, filters(c, c.req.param('objectId')));
  const objects = [...(page.identity ? [IDENTITY] : []), ...page.changes.flatMap((change) => change.objects)];
  if (objects.length === 0 && c.req.query('next') === undefined)
    throw new ApiError(404, 'not_found', `No object ${c.req.param('objectId')} in this collection.`);
  return taxiiJson(c, envelope(page, 'objects', objects), page.headers);
});

taxii.get('/taxii2/api/collections/:id/objects/:objectId/versions/', async (c) => {
  collection(c);
  const page = await readPage(c, filters(c, c.req.param('objectId'), true));
  const versions = [...(page.identity ? [IDENTITY.modified] : []), ...page.changes.flatMap((change) => change.objects.map((object) => object.modified))];
  if (versions.length === 0 && c.req.query('next') === undefined)
    throw new ApiError(404, 'not_found', `No object ${c.req.param('objectId')} in this collection.`);
  return taxiiJson(c, envelope(page, 'versions', versions), page.headers);
});

taxii.get('/taxii2/api/collections/:id/manifest/', async (c) => {
  collection(c);
  const page = await readPage(c, filters(c));
  const entries = page.changes.flatMap(({ row, objects }) =>
    objects.map((object) => ({ id: object.id, date_added: row.createdAt, version: object.modified, media_type: STIX })),
  );
  const identity = page.identity ? [{ id: IDENTITY.id, date_added: IDENTITY.created, version: IDENTITY.modified, media_type: STIX }] : [];
  return taxiiJson(c, envelope(page, 'objects', [...identity, ...entries]), page.headers);
});

// The collection is read-only: adding objects is refused as the spec says (415 for a body that is not TAXII).
taxii.post('/taxii2/api/collections/:id/objects/', (c) => {
  collection(c);
  if (!/^application\/taxii\+json/i.test(c.req.header('content-type') ?? '')) {
    throw new ApiError(415, 'unsupported_media_type', `Send envelopes as ${TAXII}.`);
  }
  throw new ApiError(403, 'forbidden', 'This collection is read-only (can_write: false).');
});
