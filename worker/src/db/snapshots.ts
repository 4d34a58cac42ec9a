import type { IndicatorKind, Reason, SnapshotEntry } from '../../../shared';
import { summaryOfDbRow, type IndicatorDbRow } from './indicators';
import { ON_LIST_SQL } from './rows';

export interface SnapshotFilter {
  kinds?: IndicatorKind[];
  reason?: Reason;
}

type Row = Pick<IndicatorDbRow, 'kind' | 'value' | 'status' | 'reasons' | 'org_count' | 'created_at' | 'updated_at' | 'service_id'>;
const toEntry = (row: Row): SnapshotEntry => ({
  ...summaryOfDbRow(row),
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

// ?1 kinds JSON (or NULL), ?2 reason (or NULL)
const FILTER = `(?1 IS NULL OR kind IN (SELECT value FROM json_each(?1)))
  AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(reasons) WHERE json_each.value = ?2))`;
/** The rows of indicators changed after a version (?3), as their last change at or before it left them. */
export const CHANGED_AFTER_SQL = `SELECT c.kind, c.value, c.status, c.reasons, c.org_count, c.created_at, c.created_at AS updated_at, c.service_id
       FROM changes AS c
       JOIN (SELECT indicator_id, MAX(version) AS v FROM changes
             WHERE version <= ?3 AND indicator_id IN (SELECT id FROM indicators WHERE list_version > ?3)
             GROUP BY indicator_id) AS last ON c.version = last.v
       WHERE c.op = 'upsert' AND ${FILTER}`;

/** One page of on-list indicators unchanged since ?3, in (kind, value) order after (?4, ?5), ?6 rows. */
export const LISTED_PAGE_SQL = `SELECT kind, value, status, reasons, org_count, created_at, updated_at, service_id FROM indicators
       WHERE status IN ${ON_LIST_SQL} AND list_version <= ?3 AND (kind, value) > (?4, ?5) AND ${FILTER}
       ORDER BY kind, value LIMIT ?6`;

const params = (filter: SnapshotFilter) => [filter.kinds ? JSON.stringify(filter.kinds) : null, filter.reason ?? null] as const;

/** Entries as they stood at `version` for the indicators changed after it, rebuilt from their last change at or before it. */
export async function readEntriesChangedAfter(db: D1Database, version: number, filter: SnapshotFilter): Promise<SnapshotEntry[]> {
  const { results } = await db
    .prepare(CHANGED_AFTER_SQL)
    .bind(...params(filter), version)
    .all<Row>();
  return results.map(toEntry);
}

/** One page of on-list indicators unchanged since `version`, in (kind, value) order after `after`. */
export async function readListedPage(
  db: D1Database,
  version: number,
  filter: SnapshotFilter,
  after: [string, string],
  limit: number,
): Promise<SnapshotEntry[]> {
  const { results } = await db
    .prepare(LISTED_PAGE_SQL)
    .bind(...params(filter), version, after[0], after[1], limit)
    .all<Row>();
  return results.map(toEntry);
}

/** The digest of a snapshot's bytes (`name`: its format and filters) at a version, if a download has made it. */
export async function readSnapshotDigest(db: D1Database, version: number, name: string): Promise<string | null> {
  const row = await db.prepare('SELECT sha256 FROM snapshot_digests WHERE version = ?1 AND name = ?2').bind(version, name).first<{ sha256: string }>();
  return row?.sha256 ?? null;
}

/** Records it; the same version and name always give the same bytes, so a second writer changes nothing. */
export const saveSnapshotDigest = (db: D1Database, version: number, name: string, sha256: string) =>
  db.prepare('INSERT OR IGNORE INTO snapshot_digests (version, name, sha256) VALUES (?1, ?2, ?3)').bind(version, name, sha256).run();

/** Digests of versions before the head are never asked for again. */
export const pruneSnapshotDigestsStatement = (db: D1Database) =>
  db.prepare('DELETE FROM snapshot_digests WHERE version < (SELECT COALESCE(MAX(version), 0) FROM changes)');
