import type { SnapshotEntry } from '../../../shared';
import { readEntriesChangedAfter, readListedPage, type SnapshotFilter } from '../db/snapshots';

export type { SnapshotFilter } from '../db/snapshots';

const PAGE = 10_000;

/**
 * The list exactly as it was at `version`, in (kind, value) order, a page of 10,000 rows per query.
 * Rows unchanged since `version` are read as they are; the few changed while we read are rebuilt from
 * their last change at or before `version`, so a snapshot never mixes two versions.
 */
export async function* readListAtVersion(db: D1Database, version: number, filter: SnapshotFilter = {}): AsyncGenerator<SnapshotEntry[]> {
  const changed = (await readEntriesChangedAfter(db, version, filter)).sort(byKey);
  let after: [string, string] = ['', ''];
  for (;;) {
    const page = await readListedPage(db, version, filter, after, PAGE);
    const last = page.at(-1);
    // Merge in the rebuilt rows that sort before the end of this page (or all that remain, at the end).
    const cut = last && page.length === PAGE ? changed.findIndex((e) => byKey(e, last) > 0) : -1;
    const merged = [...page, ...changed.splice(0, cut < 0 ? changed.length : cut)].sort(byKey);
    if (merged.length) yield merged;
    if (page.length < PAGE) return;
    after = [last!.kind, last!.value];
  }
}

function byKey(a: { kind: string; value: string }, b: { kind: string; value: string }): number {
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0;
}
