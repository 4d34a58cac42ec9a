import { DISPUTED_STATUS, FIRST_STATUS, type IndicatorKind, type Reason, type Status } from '../../../shared';
import { ON_LIST_SQL } from './rows';

export interface WaitingRow {
  id: string;
  kind: IndicatorKind;
  value: string;
  status: Status;
  reasons: string;
  org_count: number;
  created_at: string;
  updated_at: string;
  due_at: string | null;
  open_disputes: number;
  service_id: string | null;
}

const COLUMNS = 'i.id, i.kind, i.value, i.status, i.reasons, i.org_count, i.created_at, i.updated_at, i.service_id';

/**
 * Indicators in one waiting status, with their earliest open dispute deadline and open disputes; ?1 rows. The
 * status is written into the statement (from the list rules' constant) so the plan can use the partial index.
 */
const waitingSql = (status: Status) => `SELECT ${COLUMNS},
    (SELECT MIN(d.deadline_at) FROM disputes AS d WHERE d.kind = i.kind AND d.value = i.value AND d.outcome = 'open') AS due_at,
    (SELECT COUNT(*) FROM disputes AS d WHERE d.kind = i.kind AND d.value = i.value AND d.outcome = 'open') AS open_disputes
  FROM indicators AS i WHERE i.status = '${status}' ORDER BY i.org_count DESC, i.updated_at DESC LIMIT ?1`;
export const WAITING_SQL = { reports: waitingSql(FIRST_STATUS), disputes: waitingSql(DISPUTED_STATUS) };

/**
 * Flagged indicators with an open case (appeals, members' disputes), earliest deadline first: sorted before the
 * cut, so the most urgent case is never missing; ?1 rows. Cases of targets nobody flagged are answered at their
 * deadline (there is nothing on the list to keep).
 */
export const OPEN_CASES_SQL = `SELECT ${COLUMNS}, c.due_at, c.open_disputes FROM (
    SELECT kind, value, MIN(deadline_at) AS due_at, COUNT(*) AS open_disputes FROM disputes WHERE outcome = 'open' GROUP BY kind, value) AS c
  JOIN indicators AS i ON i.kind = c.kind AND i.value = c.value ORDER BY c.due_at, i.kind, i.value LIMIT ?1`;
export async function readOpenCases(db: D1Database, limit: number): Promise<WaitingRow[]> {
  return (await db.prepare(OPEN_CASES_SQL).bind(limit).all<WaitingRow>()).results;
}

/**
 * Reported indicators of a service with a member on the list (a new mirror of a listed brand, tied to it by a
 * corroborated identifier), most recently touched first; ?1 rows. A reviewer confirms such one in one step.
 */
export const MIRRORS_SQL = `SELECT ${COLUMNS}, NULL AS due_at, 0 AS open_disputes FROM indicators AS i
  WHERE i.status = '${FIRST_STATUS}' AND i.service_id IS NOT NULL
    AND EXISTS (SELECT 1 FROM indicators AS m WHERE m.service_id = i.service_id AND m.status IN ${ON_LIST_SQL})
  ORDER BY i.updated_at DESC LIMIT ?1`;
export async function readMirrors(db: D1Database, limit: number): Promise<WaitingRow[]> {
  return (await db.prepare(MIRRORS_SQL).bind(limit).all<WaitingRow>()).results;
}

/** Listings of short-lived kinds (?1 JSON) last touched before ?2 (they expire within the warning window); ?3 rows. */
export const EXPIRING_SQL = `SELECT ${COLUMNS}, NULL AS due_at, 0 AS open_disputes FROM indicators AS i
  WHERE i.status IN ${ON_LIST_SQL} AND i.kind IN (SELECT value FROM json_each(?1)) AND i.updated_at < ?2 LIMIT ?3`;

/** Live flags' evidence, notes and times for some indicators (?1 JSON ids), newest first: what the queue shows, never who. */
export const WAITING_FLAGS_SQL = `SELECT indicator_id, reason, evidence, note, created_at FROM flags
  WHERE live = 1 AND indicator_id IN (SELECT value FROM json_each(?1)) ORDER BY created_at DESC`;
export interface WaitingFlagRow {
  indicator_id: string;
  reason: Reason;
  evidence: string | null;
  note: string | null;
  created_at: string;
}

export async function readWaiting(db: D1Database, which: keyof typeof WAITING_SQL, limit: number): Promise<WaitingRow[]> {
  return (await db.prepare(WAITING_SQL[which]).bind(limit).all<WaitingRow>()).results;
}

/** Oldest first (sorted here: the index gives them by kind and value). */
export async function readExpiring(db: D1Database, kinds: readonly IndicatorKind[], touchedBefore: string, limit: number): Promise<WaitingRow[]> {
  const { results } = await db.prepare(EXPIRING_SQL).bind(JSON.stringify(kinds), touchedBefore, limit).all<WaitingRow>();
  return results.sort((a, b) => a.updated_at.localeCompare(b.updated_at));
}

export async function readWaitingFlags(db: D1Database, indicatorIds: string[]): Promise<WaitingFlagRow[]> {
  if (!indicatorIds.length) return [];
  return (await db.prepare(WAITING_FLAGS_SQL).bind(JSON.stringify(indicatorIds)).all<WaitingFlagRow>()).results;
}
