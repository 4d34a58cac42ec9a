import type { IndicatorSummary, ServiceRef } from '../../../shared';
import { MAX_SERVICE_ENTRIES } from '../../../shared';
import { summaryOfDbRow, type IndicatorDbRow } from './indicators';
import { now, ON_LIST_SQL } from './rows';

export interface ServiceRow {
  id: string;
  name: string;
  state: ServiceRef['state'];
  merged_into: string | null;
  created_at: string;
  updated_at: string;
}

export const toServiceRef = (row: ServiceRow): ServiceRef => ({ id: row.id, name: row.name, state: row.state });

/** A service row with how many of its indicators are on the list (partners can see it only then). */
export interface LoadedServiceRow extends ServiceRow {
  on_list: number;
}

/**
 * The services some identifiers (?1 JSON keys) are claimed for, or some indicators (?2 JSON {kind, value}) belong
 * to, with their on-list member counts; a merge moves claims and members, so neither points at a merged one.
 */
export const SERVICES_FOR_SQL = `SELECT s.*, (SELECT COUNT(*) FROM indicators AS m WHERE m.service_id = s.id AND m.status IN ${ON_LIST_SQL}) AS on_list
  FROM services AS s WHERE s.id IN (
    SELECT service_id FROM service_claims WHERE key IN (SELECT value FROM json_each(?1))
    -- UNION ALL: IN keeps each id once already; a UNION would also sort them in a temporary b-tree.
    UNION ALL SELECT i.service_id FROM json_each(?2) AS j
      JOIN indicators AS i ON i.kind = json_extract(j.value, '$.kind') AND i.value = json_extract(j.value, '$.value'))`;

export interface ServiceClaimRow {
  key: string;
  service_id: string;
  org_id: string;
}

/** Every organization's claims on some identifiers (?1 JSON keys). */
export const serviceClaimsStatement = (db: D1Database, keys: string[]) =>
  db.prepare('SELECT key, service_id, org_id FROM service_claims WHERE key IN (SELECT value FROM json_each(?1))').bind(JSON.stringify(keys));

export const servicesForStatement = (db: D1Database, keys: string[], indicatorsJson: string) =>
  db.prepare(SERVICES_FOR_SQL).bind(JSON.stringify(keys), indicatorsJson);

export const insertServiceStatement = (db: D1Database, row: ServiceRow) =>
  db
    .prepare('INSERT INTO services (id, name, state, merged_into, created_at, updated_at) VALUES (?1, ?2, ?3, NULL, ?4, ?4)')
    .bind(row.id, row.name, row.state, row.created_at);

/** One organization claims identifiers (?1 JSON keys) for a service: its flag's evidence showed them there. */
export const claimKeysStatement = (db: D1Database, serviceId: string, keys: string[], orgId: string, at: string) =>
  db
    .prepare('INSERT OR IGNORE INTO service_claims (key, service_id, org_id, created_at) SELECT value, ?2, ?3, ?4 FROM json_each(?1)')
    .bind(JSON.stringify(keys), serviceId, orgId, at);

/**
 * A reviewer moves claims to service ?2: those of whole services (?3 JSON ids), or those of some identifiers (?1 JSON
 * keys) held by service ?4 (a split).
 */
export const moveKeysStatements = (db: D1Database, to: string, from: { services: string[] } | { keys: string[]; of: string }) => {
  const where = `WHERE ((key IN (SELECT value FROM json_each(?1)) AND service_id = ?4) OR service_id IN (SELECT value FROM json_each(?3)))
    AND service_id <> ?2`;
  const args = 'keys' in from ? [JSON.stringify(from.keys), to, '[]', from.of] : ['[]', to, JSON.stringify(from.services), null];
  return [
    db.prepare(`UPDATE OR IGNORE service_claims SET service_id = ?2 ${where}`).bind(...args),
    // A claim the new service already had from the same organization: the moved copy is redundant.
    db.prepare(`DELETE FROM service_claims ${where}`).bind(...args),
  ];
};

export const renameServiceStatement = (db: D1Database, id: string, name: string) =>
  db.prepare("UPDATE services SET name = ?2, state = 'named', updated_at = ?3 WHERE id = ?1").bind(id, name, now());

/** Folds services (?1 JSON ids) into ?2, and whatever had been folded into them, so a lookup follows one step. */
export const mergeServicesStatement = (db: D1Database, from: string[], into: string) =>
  db
    .prepare(
      'UPDATE services SET merged_into = ?2, updated_at = ?3 WHERE id IN (SELECT value FROM json_each(?1)) OR merged_into IN (SELECT value FROM json_each(?1))',
    )
    .bind(JSON.stringify(from), into, now());

export async function readService(db: D1Database, id: string): Promise<ServiceRow | null> {
  const row = await db.prepare('SELECT * FROM services WHERE id = ?1').bind(id).first<ServiceRow>();
  if (!row?.merged_into) return row;
  return db.prepare('SELECT * FROM services WHERE id = ?1').bind(row.merged_into).first<ServiceRow>();
}

export async function readServices(db: D1Database, ids: string[]): Promise<Map<string, ServiceRow>> {
  if (!ids.length) return new Map();
  const { results } = await db.prepare('SELECT * FROM services WHERE id IN (SELECT value FROM json_each(?1))').bind(JSON.stringify(ids)).all<ServiceRow>();
  return new Map(results.map((row) => [row.id, row]));
}

/** Every indicator of some services (reviewers decide on and move them together), at most ?2. */
export const SERVICE_MEMBERS_SQL = 'SELECT kind, value FROM indicators WHERE service_id IN (SELECT value FROM json_each(?1)) LIMIT ?2';
export async function readServiceMembers(db: D1Database, ids: string[], limit: number): Promise<{ kind: IndicatorDbRow['kind']; value: string }[]> {
  return (await db.prepare(SERVICE_MEMBERS_SQL).bind(JSON.stringify(ids), limit).all<{ kind: IndicatorDbRow['kind']; value: string }>()).results;
}

/** A service's on-list indicators, in kind and value order. */
export const SERVICE_ENTRIES_SQL = `SELECT kind, value, status, reasons, org_count, service_id FROM indicators
  WHERE service_id = ?1 AND status IN ${ON_LIST_SQL} ORDER BY kind, value LIMIT ?2`;
export async function readServiceEntries(db: D1Database, id: string): Promise<{ entries: IndicatorSummary[]; truncated: boolean }> {
  const { results } = await db
    .prepare(SERVICE_ENTRIES_SQL)
    .bind(id, MAX_SERVICE_ENTRIES + 1)
    .all<Pick<IndicatorDbRow, 'kind' | 'value' | 'status' | 'reasons' | 'org_count' | 'service_id'>>();
  return {
    entries: results.slice(0, MAX_SERVICE_ENTRIES).map(summaryOfDbRow),
    truncated: results.length > MAX_SERVICE_ENTRIES,
  };
}

/** Every indicator of a service, reported ones too, in kind and value order: what a reviewer decides on; ?2 rows. */
export const SERVICE_ALL_MEMBERS_SQL = `SELECT id, kind, value, status, reasons, org_count, service_id FROM indicators
  WHERE service_id = ?1 ORDER BY kind, value LIMIT ?2`;
export async function readAllServiceMembers(
  db: D1Database,
  id: string,
): Promise<Pick<IndicatorDbRow, 'id' | 'kind' | 'value' | 'status' | 'reasons' | 'org_count' | 'service_id'>[]> {
  return (
    await db
      .prepare(SERVICE_ALL_MEMBERS_SQL)
      .bind(id, MAX_SERVICE_ENTRIES + 1)
      .all<Pick<IndicatorDbRow, 'id' | 'kind' | 'value' | 'status' | 'reasons' | 'org_count' | 'service_id'>>()
  ).results;
}
