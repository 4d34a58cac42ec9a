import type { IndicatorKind, Status } from '../../../shared';
import { headQuery, toHead, type ListHead } from './changes';
import { ON_LIST_SQL } from './rows';

const RANGES = 16;

/** The listed prefixes in one range of the 32-bit space (?1 from, ?2 to), sorted and distinct. */
export const PREFIX_RANGE_SQL = `SELECT DISTINCT hash_prefix AS p FROM indicators
  WHERE status IN ${ON_LIST_SQL} AND hash_prefix >= ?1 AND hash_prefix < ?2 ORDER BY hash_prefix`;

/** The listed entries behind some prefixes (?1: a JSON array of them). */
export const FULL_HASHES_SQL = `SELECT hash_prefix, kind, value, status, reasons, org_count FROM indicators
  WHERE status IN ${ON_LIST_SQL} AND hash_prefix IN (SELECT value FROM json_each(?1))`;

/**
 * Every listed indicator's 4-byte hash prefix, sorted and distinct, with the head version, all read in
 * one D1 batch (one transaction, so the set is exactly the list at that version). The 32-bit space is
 * split into 16 range queries to keep each result small.
 */
export async function readPrefixes(db: D1Database): Promise<{ head: ListHead; prefixes: Uint32Array }> {
  const step = 2 ** 32 / RANGES;
  const ranges = Array.from({ length: RANGES }, (_, i) => db.prepare(PREFIX_RANGE_SQL).bind(i * step, (i + 1) * step));
  const [head, ...pages] = await db.batch<unknown>([headQuery(db), ...ranges]);
  const all = pages.flatMap((page) => (page.results as { p: number }[]).map((row) => row.p));
  return { head: toHead(head!.results[0] as ListHead | undefined), prefixes: Uint32Array.from(all) };
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
