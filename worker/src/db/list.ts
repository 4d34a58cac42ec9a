import type { IndicatorKind, ListEntry, Reason } from '../../../shared';
import { headQuery, toHead, type ListHead } from './changes';

interface EntryRow {
  kind: ListEntry['kind'];
  value: string;
  status: ListEntry['status'];
  reasons: string;
  org_count: number;
}

/** The list and its head version, read in one transaction so the entries are exactly the list at that version. */
export async function readList(db: D1Database, kind?: IndicatorKind): Promise<{ head: ListHead; entries: ListEntry[] }> {
  const [head, entries] = await db.batch<unknown>([
    headQuery(db),
    db
      .prepare(
        `SELECT kind, value, status, reasons, org_count FROM indicators
         WHERE status IN ('listed', 'disputed') AND (?1 IS NULL OR kind = ?1) ORDER BY kind, value`,
      )
      .bind(kind ?? null),
  ]);
  return {
    head: toHead(head!.results[0] as ListHead | undefined),
    entries: (entries!.results as EntryRow[]).map((row) => ({
      kind: row.kind,
      value: row.value,
      status: row.status,
      reasons: JSON.parse(row.reasons) as Reason[],
      orgCount: row.org_count,
    })),
  };
}
