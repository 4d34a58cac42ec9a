import type { IndicatorKind, Reason, SnapshotEntry } from '../../../shared';
import type { IndicatorDbRow } from '../db/indicators';

export interface SnapshotFilter {
  kinds?: IndicatorKind[];
  reason?: Reason;
}

type Row = Pick<IndicatorDbRow, 'kind' | 'value' | 'status' | 'reasons' | 'org_count' | 'created_at' | 'updated_at'>;
const toEntry = (row: Row): SnapshotEntry => ({
  kind: row.kind,
  value: row.value,
  status: row.status,
  reasons: JSON.parse(row.reasons) as Reason[],
  orgCount: row.org_count,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

const PAGE = 10_000;
// ?1 kinds JSON (or NULL), ?2 reason (or NULL)
const FILTER = `(?1 IS NULL OR kind IN (SELECT value FROM json_each(?1)))
  AND (?2 IS NULL OR EXISTS (SELECT 1 FROM json_each(reasons) WHERE json_each.value = ?2))`;

/**
 * The list exactly as it was at `version`, in (kind, value) order, a page of 10,000 rows per query.
 * Rows unchanged since `version` are read as they are; the few changed while we read are rebuilt from
 * their last change at or before `version`, so a snapshot never mixes two versions.
 */
export async function* readListAtVersion(db: D1Database, version: number, filter: SnapshotFilter = {}): AsyncGenerator<SnapshotEntry[]> {
  const kinds = filter.kinds ? JSON.stringify(filter.kinds) : null;
  const reason = filter.reason ?? null;
  const { results: changedRows } = await db
    .prepare(
      `SELECT c.kind, c.value, c.status, c.reasons, c.org_count, c.created_at, c.created_at AS updated_at
       FROM changes AS c
       JOIN (SELECT indicator_id, MAX(version) AS v FROM changes
             WHERE version <= ?3 AND indicator_id IN (SELECT id FROM indicators WHERE list_version > ?3)
             GROUP BY indicator_id) AS last ON c.version = last.v
       WHERE c.op = 'upsert' AND ${FILTER}`,
    )
    .bind(kinds, reason, version)
    .all<Row>();
  const changed = changedRows.map(toEntry).sort(byKey);

  let after: [string, string] = ['', ''];
  for (;;) {
    const { results } = await db
      .prepare(
        `SELECT kind, value, status, reasons, org_count, created_at, updated_at FROM indicators
         WHERE status IN ('listed', 'disputed') AND list_version <= ?3 AND (kind, value) > (?4, ?5) AND ${FILTER}
         ORDER BY kind, value LIMIT ${PAGE}`,
      )
      .bind(kinds, reason, version, after[0], after[1])
      .all<Row>();
    const page = results.map(toEntry);
    const last = page.at(-1);
    // Merge in the rebuilt rows that sort before the end of this page (or all that remain, at the end).
    const cut = last && results.length === PAGE ? changed.findIndex((e) => byKey(e, last) > 0) : -1;
    const merged = [...page, ...changed.splice(0, cut < 0 ? changed.length : cut)].sort(byKey);
    if (merged.length) yield merged;
    if (results.length < PAGE) return;
    after = [last!.kind, last!.value];
  }
}

function byKey(a: { kind: string; value: string }, b: { kind: string; value: string }): number {
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
