import type { Change } from '../../../shared';
import { toChange, type ChangeRow } from './changes';
import { ON_LIST_SQL } from './rows';

/** Object versions for TAXII after ?1 (version) and ?2 (time), ?3 rows, of ids ?4, versions ?5 (keywords) or ?6 (times). */
export const FEED_SQL = `SELECT c.*, (SELECT MIN(created_at) FROM changes AS f WHERE f.indicator_id = c.indicator_id) AS first_seen
       FROM changes AS c
       WHERE c.version > ?1 AND (?2 IS NULL OR c.created_at > ?2)
         AND (?4 IS NULL OR c.stix_id IN (SELECT value FROM json_each(?4)))
         AND ('all' IN (SELECT value FROM json_each(?5))
           OR ('last' IN (SELECT value FROM json_each(?5)) AND c.version = (SELECT MAX(version) FROM changes AS l WHERE l.indicator_id = c.indicator_id))
           OR ('first' IN (SELECT value FROM json_each(?5)) AND c.version = (SELECT MIN(version) FROM changes AS l WHERE l.indicator_id = c.indicator_id))
           OR c.created_at IN (SELECT value FROM json_each(?6)))
       ORDER BY c.version LIMIT ?3`;

export interface FeedChange extends Change {
  createdAt: string;
  firstSeen: string;
}

/** Which versions of each object a feed asks for (TAXII match[version]): keywords and exact timestamps. */
export interface VersionMatch {
  keywords: ('last' | 'first' | 'all')[];
  at: string[];
}

export interface FeedQuery {
  afterVersion: number;
  addedAfter: string | null;
  limit: number;
  versions: VersionMatch;
  /** Only these STIX object ids (TAXII match[id]), or all. */
  stixIds: string[] | null;
}

/**
 * Changes in version order for feeds (TAXII): each change is one version of its indicator's STIX object.
 * After a version or a time, a page at a time, filtered by object id and by which versions are wanted (the
 * latest by default), each with when its indicator first entered the change log (for STIX `created`).
 */
export async function readChangeFeed(db: D1Database, query: FeedQuery) {
  const { results } = await db
    .prepare(FEED_SQL)
    .bind(
      query.afterVersion,
      query.addedAfter,
      query.limit + 1,
      query.stixIds ? JSON.stringify(query.stixIds) : null,
      JSON.stringify(query.versions.keywords),
      JSON.stringify(query.versions.at),
    )
    .all<ChangeRow & { first_seen: string }>();
  const rows = results.slice(0, query.limit).map((row): FeedChange => ({ ...toChange(row), createdAt: row.created_at, firstSeen: row.first_seen }));
  return { rows, more: results.length > query.limit };
}

/**
 * The indicator each service's STIX relationships point to: its first member on the list in (kind, value) order,
 * as in a STIX snapshot file, so a relationship has one id and one target in the file and in TAXII.
 */
export async function readServiceAnchors(db: D1Database, serviceIds: string[]): Promise<Map<string, { kind: Change['kind']; value: string }>> {
  if (!serviceIds.length) return new Map();
  const { results } = await db
    .prepare(
      `SELECT service_id, kind, value FROM indicators
        WHERE service_id IN (SELECT value FROM json_each(?1)) AND status IN ${ON_LIST_SQL}
        ORDER BY service_id, kind, value`,
    )
    .bind(JSON.stringify(serviceIds))
    .all<{ service_id: string; kind: Change['kind']; value: string }>();
  const anchors = new Map<string, { kind: Change['kind']; value: string }>();
  for (const row of results) if (!anchors.has(row.service_id)) anchors.set(row.service_id, { kind: row.kind, value: row.value });
  return anchors;
}
