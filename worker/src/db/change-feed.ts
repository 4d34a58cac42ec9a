import type { Change } from '../../../shared';
import { toChange, type ChangeRow } from './changes';

export interface FeedChange extends Change {
  createdAt: string;
  firstSeen: string;
}

/**
 * Changes in version order for feeds (TAXII): after a version, or after a time, a page at a time, each
 * with when its indicator first entered the change log (for STIX `created`).
 */
export async function readChangeFeed(db: D1Database, query: { afterVersion: number; addedAfter: string | null; limit: number }) {
  const { results } = await db
    .prepare(
      `SELECT c.*, (SELECT MIN(created_at) FROM changes AS f WHERE f.indicator_id = c.indicator_id) AS first_seen
       FROM changes AS c WHERE c.version > ?1 AND (?2 IS NULL OR c.created_at > ?2) ORDER BY c.version LIMIT ?3`,
    )
    .bind(query.afterVersion, query.addedAfter, query.limit + 1)
    .all<ChangeRow & { first_seen: string }>();
  const rows = results.slice(0, query.limit).map((row): FeedChange => ({ ...toChange(row), createdAt: row.created_at, firstSeen: row.first_seen }));
  return { rows, more: results.length > query.limit };
}
