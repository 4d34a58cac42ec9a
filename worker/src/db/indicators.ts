import {
  expressionHash,
  expressionOf,
  FIRST_STATUS,
  prefixOf,
  type Indicator,
  type IndicatorKind,
  type IndicatorSummary,
  type Reason,
  type Status,
} from '../../../shared';
import { newId, now, ON_LIST_SQL } from './rows';

/** Indicators by kind and value (?1: a JSON array of {kind, value}). */
export const INDICATORS_BY_KEY_SQL = `SELECT i.* FROM json_each(?1) AS j
       JOIN indicators AS i ON i.kind = json_extract(j.value, '$.kind') AND i.value = json_extract(j.value, '$.value')`;

export interface IndicatorRow {
  id: string;
  kind: Indicator['kind'];
  value: string;
  status: Status;
  reasons: Reason[];
  orgCount: number;
  /** A reviewer confirmed the listing: it stands whatever the count does. */
  confirmed: boolean;
  createdAt: string;
  updatedAt: string;
  /** First 4 bytes of SHA-256("kind:value"), for the prefix set. */
  hashPrefix: number | null;
  /** The service (svc_…) it belongs to. */
  serviceId: string | null;
}

/** An indicators row as D1 returns it. */
export interface IndicatorDbRow {
  id: string;
  kind: Indicator['kind'];
  value: string;
  status: Status;
  reasons: string;
  org_count: number;
  confirmed: number;
  created_at: string;
  updated_at: string;
  hash_prefix: number | null;
  service_id: string | null;
}
export const toIndicatorRow = (row: IndicatorDbRow): IndicatorRow => ({
  id: row.id,
  kind: row.kind,
  value: row.value,
  status: row.status,
  reasons: JSON.parse(row.reasons) as Reason[],
  orgCount: row.org_count,
  confirmed: row.confirmed === 1,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  hashPrefix: row.hash_prefix,
  serviceId: row.service_id,
});

/** Indicators as one JSON parameter (D1 binds at most 100 parameters a statement). */
export const indicatorsParam = (indicators: Indicator[]) => JSON.stringify(indicators.map(({ kind, value }) => ({ kind, value })));

/** Many indicators in one statement, for a batch read. */
export const indicatorsStatement = (db: D1Database, indicators: Indicator[]) => db.prepare(INDICATORS_BY_KEY_SQL).bind(indicatorsParam(indicators));

export const toIndicatorMap = (rows: IndicatorDbRow[]): Map<string, IndicatorRow> => new Map(rows.map((row) => [expressionOf(row), toIndicatorRow(row)]));

export async function readIndicators(db: D1Database, indicators: Indicator[]): Promise<Map<string, IndicatorRow>> {
  if (indicators.length === 0) return new Map();
  const { results } = await indicatorsStatement(db, indicators).all<IndicatorDbRow>();
  return toIndicatorMap(results);
}

export const saveIndicatorStatement = (db: D1Database, row: IndicatorRow) =>
  db
    .prepare(
      `INSERT INTO indicators (id, kind, value, status, reasons, org_count, created_at, updated_at, hash_prefix, confirmed, service_id)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
       ON CONFLICT (id) DO UPDATE SET status = ?4, reasons = ?5, org_count = ?6, updated_at = ?8, hash_prefix = COALESCE(hash_prefix, ?9), confirmed = ?10,
         service_id = ?11`,
    )
    .bind(
      row.id,
      row.kind,
      row.value,
      row.status,
      JSON.stringify(row.reasons),
      row.orgCount,
      row.createdAt,
      row.updatedAt,
      row.hashPrefix,
      row.confirmed ? 1 : 0,
      row.serviceId,
    );

/** A stored row's partner-visible columns as the contract's summary (the one mapper from SQL to IndicatorSummary). */
export const summaryOfDbRow = (row: Pick<IndicatorDbRow, 'kind' | 'value' | 'status' | 'reasons' | 'org_count' | 'service_id'>): IndicatorSummary => ({
  kind: row.kind,
  value: row.value,
  status: row.status,
  reasons: JSON.parse(row.reasons) as Reason[],
  orgCount: row.org_count,
  ...(row.service_id ? { service: row.service_id } : {}),
});

/** What partners may know of an indicator: counts, reasons and its service, never which organizations. */
export const toSummary = (row: IndicatorRow): IndicatorSummary => ({
  kind: row.kind,
  value: row.value,
  status: row.status,
  reasons: row.reasons,
  orgCount: row.orgCount,
  ...(row.serviceId ? { service: row.serviceId } : {}),
});

export function newIndicatorRow(indicator: Indicator, status: Status = FIRST_STATUS): IndicatorRow {
  const at = now();
  const hashPrefix = prefixOf(expressionHash(expressionOf(indicator)));
  return { id: newId('ind'), ...indicator, status, reasons: [], orgCount: 0, confirmed: false, createdAt: at, updatedAt: at, hashPrefix, serviceId: null };
}

/** Rows written before prefixes existed get theirs here (the daily job), a page at a time. */
export async function backfillHashPrefixes(db: D1Database, limit = 500): Promise<number> {
  const { results } = await db
    .prepare('SELECT id, kind, value FROM indicators WHERE hash_prefix IS NULL LIMIT ?1')
    .bind(limit)
    .all<Indicator & { id: string }>();
  if (results.length === 0) return 0;
  await db.batch(
    results.map((row) => db.prepare('UPDATE indicators SET hash_prefix = ?2 WHERE id = ?1').bind(row.id, prefixOf(expressionHash(expressionOf(row))))),
  );
  return results.length;
}

/** On-list indicators of these kinds untouched since the cutoff (expiry candidates), a page at a time. */
export async function readStaleListed(db: D1Database, kinds: readonly IndicatorKind[], cutoff: string, limit: number): Promise<Indicator[]> {
  const { results } = await db
    .prepare(
      `SELECT kind, value FROM indicators WHERE status IN ${ON_LIST_SQL}
       AND kind IN (SELECT value FROM json_each(?1)) AND updated_at < ?2 LIMIT ?3`,
    )
    .bind(JSON.stringify(kinds), cutoff, limit)
    .all<Indicator>();
  return results;
}
