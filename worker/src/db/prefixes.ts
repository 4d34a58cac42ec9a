import type { IndicatorKind, Status } from '../../../shared';
import { headQuery, toHead, type ListHead } from './changes';
import { ON_LIST_SQL } from './rows';

const PAGE = 100_000;

/** One page of listed prefixes after ?1, in order (duplicates kept: the caller drops them as it copies). */
export const PREFIX_RANGE_SQL = `SELECT hash_prefix FROM indicators
  WHERE status IN ${ON_LIST_SQL} AND hash_prefix > ?1 ORDER BY hash_prefix LIMIT ?2`;

/** The listed entries behind some prefixes (?1: a JSON array of them). */
export const FULL_HASHES_SQL = `SELECT hash_prefix, kind, value, status, reasons, org_count FROM indicators
  WHERE status IN ${ON_LIST_SQL} AND hash_prefix IN (SELECT value FROM json_each(?1))`;

/**
 * Every listed indicator's 4-byte hash prefix, sorted and distinct, at one exact head version. Read in pages
 * of 100,000 rows straight into a typed array, so a million prefixes cost 4 MB, never a million row objects.
 * The head is read with the first page and again with the last: if the list moved in between, the read
 * starts over (the set and its signed version must agree); after three tries it answers null.
 */
export async function readPrefixes(db: D1Database): Promise<{ head: ListHead; prefixes: Uint32Array } | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    let prefixes = new Uint32Array(PAGE);
    let length = 0;
    let after = -1;
    let head: ListHead | null = null;
    for (;;) {
      const [headRows, page] = await db.batch<unknown>([headQuery(db), db.prepare(PREFIX_RANGE_SQL).bind(after, PAGE)]);
      const rows = (page!.results as { hash_prefix: number }[]) ?? [];
      const pageHead = toHead(headRows!.results[0] as ListHead | undefined);
      head ??= pageHead;
      if (pageHead.version !== head.version) break;
      if (length + rows.length > prefixes.length) {
        const bigger = new Uint32Array(Math.max(prefixes.length * 2, length + rows.length));
        bigger.set(prefixes.subarray(0, length));
        prefixes = bigger;
      }
      for (const row of rows) if (length === 0 || prefixes[length - 1] !== row.hash_prefix) prefixes[length++] = row.hash_prefix;
      if (rows.length < PAGE) return { head, prefixes: prefixes.slice(0, length) };
      after = rows.at(-1)!.hash_prefix;
    }
  }
  return null;
}

export interface PrefixMatch {
  hash_prefix: number;
  kind: IndicatorKind;
  value: string;
  status: Status;
  reasons: string;
  org_count: number;
}

export async function readByPrefixes(db: D1Database, prefixes: number[]): Promise<PrefixMatch[]> {
  const { results } = await db.prepare(FULL_HASHES_SQL).bind(JSON.stringify(prefixes)).all<PrefixMatch>();
  return results;
}
