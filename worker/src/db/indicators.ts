import type { Indicator, Reason, Status } from '../../../shared';
import { now } from './rows';

export interface IndicatorRow {
  id: string;
  kind: Indicator['kind'];
  value: string;
  status: Status;
  reasons: Reason[];
  orgCount: number;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  kind: Indicator['kind'];
  value: string;
  status: Status;
  reasons: string;
  org_count: number;
  created_at: string;
  updated_at: string;
}
export const toIndicatorRow = (row: Row): IndicatorRow => ({
  id: row.id,
  kind: row.kind,
  value: row.value,
  status: row.status,
  reasons: JSON.parse(row.reasons) as Reason[],
  orgCount: row.org_count,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});

export const keyOf = (indicator: Indicator): string => `${indicator.kind}:${indicator.value}`;

/** Many indicators in one query: the list travels as one JSON parameter (D1 binds at most 100). */
export async function readIndicators(db: D1Database, indicators: Indicator[]): Promise<Map<string, IndicatorRow>> {
  if (indicators.length === 0) return new Map();
  const { results } = await db
    .prepare(
      `SELECT i.* FROM json_each(?1) AS j
       JOIN indicators AS i ON i.kind = json_extract(j.value, '$.kind') AND i.value = json_extract(j.value, '$.value')`,
    )
    .bind(JSON.stringify(indicators.map(({ kind, value }) => ({ kind, value }))))
    .all<Row>();
  return new Map(results.map((row) => [keyOf(row), toIndicatorRow(row)]));
}

export const saveIndicatorStatement = (db: D1Database, row: IndicatorRow) =>
  db
    .prepare(
      `INSERT INTO indicators (id, kind, value, status, reasons, org_count, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT (id) DO UPDATE SET status = ?4, reasons = ?5, org_count = ?6, updated_at = ?8`,
    )
    .bind(row.id, row.kind, row.value, row.status, JSON.stringify(row.reasons), row.orgCount, row.createdAt, row.updatedAt);

export function newIndicatorRow(indicator: Indicator, status: Status = 'reported'): IndicatorRow {
  const at = now();
  return { id: `ind_${crypto.randomUUID().replaceAll('-', '')}`, ...indicator, status, reasons: [], orgCount: 0, createdAt: at, updatedAt: at };
}
