import { EMPTY_CHECKSUM, FIRST_STATUS, stixIndicatorId, type Change, type Status } from '../../../shared';
import { summaryOfDbRow } from './indicators';

/** One page of the change log after a version (?1), ?2 rows. */
export const CHANGES_PAGE_SQL = 'SELECT * FROM changes WHERE version > ?1 ORDER BY version LIMIT ?2';

export interface ListHead {
  version: number;
  checksum: string;
  /** When the list reached this version (the empty list: the epoch). */
  at?: string;
}

/** The time a list of no changes is dated: fixed, so its snapshot's bytes never change either. */
export const EPOCH = '1970-01-01T00:00:00.000Z';

export const headQuery = (db: D1Database) => db.prepare('SELECT version, checksum, created_at AS at FROM changes ORDER BY version DESC LIMIT 1');

export const toHead = (row: ListHead | undefined | null): ListHead => row ?? { version: 0, checksum: EMPTY_CHECKSUM, at: EPOCH };

export async function readHead(db: D1Database): Promise<ListHead> {
  return toHead(await headQuery(db).first<ListHead>());
}

export interface ChangeRecord extends Change {
  indicatorId: string;
  checksum: string;
  createdAt: string;
}

export const insertChangeStatement = (db: D1Database, change: ChangeRecord) =>
  db
    .prepare(
      `INSERT INTO changes (version, indicator_id, op, kind, value, status, reasons, org_count, checksum, created_at, stix_id, service_id)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)`,
    )
    .bind(
      change.version,
      change.indicatorId,
      change.op,
      change.kind,
      change.value,
      change.status,
      JSON.stringify(change.reasons),
      change.orgCount,
      change.checksum,
      change.createdAt,
      stixIndicatorId(change.kind, change.value),
      change.service ?? null,
    );

/** Marks the version of an indicator's last list change (snapshots at a version rebuild rows changed after it). */
export const listVersionStatement = (db: D1Database, indicatorId: string, version: number) =>
  db.prepare('UPDATE indicators SET list_version = ?2 WHERE id = ?1').bind(indicatorId, version);

export interface ChangeRow {
  version: number;
  op: Change['op'];
  kind: Change['kind'];
  value: string;
  status: Status | null;
  reasons: string;
  org_count: number;
  checksum: string;
  created_at: string;
  service_id: string | null;
}

/** A change is the indicator as it became (the one row mapper) with its version and op; a removal has no status. */
export const toChange = (row: ChangeRow): Change => ({
  version: row.version,
  op: row.op,
  ...summaryOfDbRow({ ...row, status: row.status ?? FIRST_STATUS }),
  status: row.status,
});

/** One page of changes after `since`, plus whether more follow, read in one transaction with the retention mark. */
export async function readChangesPage(db: D1Database, since: number, limit: number) {
  const [page, meta, head] = await db.batch<unknown>([
    db.prepare(CHANGES_PAGE_SQL).bind(since, limit + 1),
    db.prepare('SELECT pruned_before FROM list_meta WHERE id = 1'),
    headQuery(db),
  ]);
  const rows = (page!.results as ChangeRow[]).slice(0, limit);
  return {
    prunedBefore: (meta!.results[0] as { pruned_before: number }).pruned_before,
    head: toHead(head!.results[0] as ListHead | undefined),
    more: page!.results.length > limit,
    changes: rows.map((row) => ({ ...toChange(row), checksum: row.checksum })),
  };
}

/**
 * Drops changes older than the retention window, but keeps the newest one (it carries the head checksum)
 * and each indicator's latest change (snapshots rebuild rows changed mid-build from it). Clients holding
 * a version before the cut are told to resync from the list.
 */
export async function pruneChanges(db: D1Database, olderThan: string): Promise<number> {
  const cutoff = await db
    .prepare('SELECT MAX(version) AS v FROM changes WHERE created_at < ?1 AND version < (SELECT MAX(version) FROM changes)')
    .bind(olderThan)
    .first<{ v: number | null }>();
  if (!cutoff?.v) return 0;
  const [deleted] = await db.batch([
    db
      .prepare(
        `DELETE FROM changes WHERE version <= ?1
       AND version NOT IN (SELECT MAX(version) FROM changes GROUP BY indicator_id)`,
      )
      .bind(cutoff.v),
    db.prepare('UPDATE list_meta SET pruned_before = MAX(pruned_before, ?1) WHERE id = 1').bind(cutoff.v),
  ]);
  return deleted!.meta.changes;
}

/** Change rows written before they carried their STIX id get it here (the daily job), a page at a time. */
export async function backfillStixIds(db: D1Database, limit = 500): Promise<number> {
  const { results } = await db
    .prepare('SELECT version, kind, value FROM changes WHERE stix_id IS NULL LIMIT ?1')
    .bind(limit)
    .all<{ version: number; kind: string; value: string }>();
  if (results.length === 0) return 0;
  await db.batch(
    results.map((row) => db.prepare('UPDATE changes SET stix_id = ?2 WHERE version = ?1').bind(row.version, stixIndicatorId(row.kind, row.value))),
  );
  return results.length;
}
