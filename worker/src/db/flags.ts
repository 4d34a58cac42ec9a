import type { CountedFlag, Evidence, Indicator, IndicatorKind, OwnFlag, Reason, Status } from '../../../shared';
import { indicatorsParam } from './indicators';
import { parseJson } from './rows';

/** The live flags on indicators (?1: a JSON array of {kind, value}), with their organizations now. */
export const LIVE_FLAGS_SQL = `SELECT f.id, f.indicator_id, f.org_id, f.reason, o.kind = 'operator' AS operator, o.suspended_at IS NOT NULL AS suspended
       FROM json_each(?1) AS j
       JOIN indicators AS i ON i.kind = json_extract(j.value, '$.kind') AND i.value = json_extract(j.value, '$.value')
       JOIN flags AS f ON f.indicator_id = i.id AND f.live = 1
       JOIN orgs AS o ON o.id = f.org_id`;

/** A live flag with what consensus needs to know of its organization now. */
export interface LiveFlag extends CountedFlag {
  id: string;
  indicatorId: string;
}

/** The live flags on many indicators (by kind and value), for a batch read. */
export const liveFlagsStatement = (db: D1Database, indicators: Indicator[]) => db.prepare(LIVE_FLAGS_SQL).bind(indicatorsParam(indicators));

export interface LiveFlagRow {
  id: string;
  indicator_id: string;
  org_id: string;
  reason: Reason;
  operator: number;
  suspended: number;
}
export const toLiveFlag = (row: LiveFlagRow): LiveFlag => ({
  id: row.id,
  indicatorId: row.indicator_id,
  orgId: row.org_id,
  reason: row.reason,
  operator: row.operator === 1,
  suspended: row.suspended === 1,
});

/** The indicators an organization's live flags hold up, a page at a time in id order. */
export async function readIndicatorsFlaggedBy(db: D1Database, orgId: string, afterId: string, limit: number): Promise<(Indicator & { id: string })[]> {
  const { results } = await db
    .prepare(
      `SELECT i.id, i.kind, i.value FROM flags AS f JOIN indicators AS i ON i.id = f.indicator_id
       WHERE f.org_id = ?1 AND f.live = 1 AND f.indicator_id > ?2 ORDER BY f.indicator_id LIMIT ?3`,
    )
    .bind(orgId, afterId, limit)
    .all<Indicator & { id: string }>();
  return results;
}

export interface NewFlag {
  id: string;
  indicatorId: string;
  orgId: string;
  keyId: string;
  target: string;
  reason: Reason;
  note: string | null;
  evidence: Evidence | null;
  createdAt: string;
}

export const insertFlagStatement = (db: D1Database, flag: NewFlag) =>
  db
    .prepare(
      `INSERT INTO flags (id, indicator_id, org_id, key_id, target, reason, note, evidence, live, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 1, ?9)`,
    )
    .bind(
      flag.id,
      flag.indicatorId,
      flag.orgId,
      flag.keyId,
      flag.target,
      flag.reason,
      flag.note,
      flag.evidence ? JSON.stringify(flag.evidence) : null,
      flag.createdAt,
    );

/** One flag with its indicator, to check who may withdraw it. */
export async function readFlagWithIndicator(db: D1Database, flagId: string) {
  return db
    .prepare('SELECT f.id, f.org_id AS orgId, f.live, i.kind, i.value FROM flags AS f JOIN indicators AS i ON i.id = f.indicator_id WHERE f.id = ?1')
    .bind(flagId)
    .first<{ id: string; orgId: string; live: number; kind: Indicator['kind']; value: string }>();
}

/** Retires one flag (its organization withdrew it). */
/** Its organization takes a flag back: it stops counting, and when stays known for the re-flag cool-down. */
export const withdrawFlagStatement = (db: D1Database, flagId: string, at: string) =>
  db.prepare('UPDATE flags SET live = 0, withdrawn_at = ?2 WHERE id = ?1 AND live = 1').bind(flagId, at);

/** Flags each organization (?1 JSON ids) made since ?2, over all its keys: what its flag budget has spent. */
export const orgFlagCountsStatement = (db: D1Database, orgIds: string[], since: string) =>
  db
    .prepare('SELECT org_id, COUNT(*) AS n FROM flags WHERE org_id IN (SELECT value FROM json_each(?1)) AND created_at >= ?2 GROUP BY org_id')
    .bind(JSON.stringify(orgIds), since);

/** Withdrawals since ?3 by some organizations (?1 JSON) of some indicators (?2 JSON {kind, value}), latest per pair. */
export const recentWithdrawalsStatement = (db: D1Database, orgIds: string[], indicatorsJson: string, since: string) =>
  db
    .prepare(
      `SELECT f.org_id, f.indicator_id, MAX(f.withdrawn_at) AS withdrawn_at FROM json_each(?2) AS j
       JOIN indicators AS i ON i.kind = json_extract(j.value, '$.kind') AND i.value = json_extract(j.value, '$.value')
       JOIN flags AS f ON f.indicator_id = i.id
       WHERE f.org_id IN (SELECT value FROM json_each(?1)) AND f.withdrawn_at >= ?3
       GROUP BY f.org_id, f.indicator_id`,
    )
    .bind(JSON.stringify(orgIds), indicatorsJson, since);

/** A reviewer's delisting or rejection retires the flags behind it; new flags start a fresh count. */
export const retireFlagsStatement = (db: D1Database, indicatorId: string) =>
  db.prepare('UPDATE flags SET live = 0 WHERE indicator_id = ?1 AND live = 1').bind(indicatorId);

/** An expiry retires the flags behind a stale listing, marked as expired (not rejected). */
export const expireFlagsStatement = (db: D1Database, indicatorId: string, at: string) =>
  db.prepare('UPDATE flags SET live = 0, expired_at = ?2 WHERE indicator_id = ?1 AND live = 1').bind(indicatorId, at);

interface OwnFlagRow {
  id: string;
  kind: IndicatorKind;
  value: string;
  target: string;
  reason: Reason;
  note: string | null;
  live: number;
  withdrawn_at: string | null;
  expired_at: string | null;
  created_at: string;
  status: Status;
  org_count: number;
}

/** An organization's own flags, newest first, paged by (created_at, id). */
export async function readOwnFlags(db: D1Database, orgId: string, before: string | null, limit: number) {
  const [beforeAt, beforeId] = before ? before.split('|') : [null, null];
  const { results } = await db
    .prepare(
      `SELECT f.id, i.kind, i.value, f.target, f.reason, f.note, f.live, f.withdrawn_at, f.expired_at, f.created_at, i.status, i.org_count
       FROM flags AS f JOIN indicators AS i ON i.id = f.indicator_id
       WHERE f.org_id = ?1 AND (?2 IS NULL OR f.created_at < ?2 OR (f.created_at = ?2 AND f.id < ?3))
       ORDER BY f.created_at DESC, f.id DESC LIMIT ?4`,
    )
    .bind(orgId, beforeAt ?? null, beforeId ?? null, limit + 1)
    .all<OwnFlagRow>();
  const page = results.slice(0, limit);
  const last = page.at(-1);
  const flags: OwnFlag[] = page.map((row) => ({
    id: row.id,
    indicator: { kind: row.kind, value: row.value },
    target: row.target,
    reason: row.reason,
    note: row.note,
    live: row.live === 1,
    ended: row.live === 1 ? null : row.withdrawn_at ? 'withdrawn' : row.expired_at ? 'expired' : 'retired',
    createdAt: row.created_at,
    status: row.status,
    orgCount: row.org_count,
  }));
  return { flags, next: results.length > limit && last ? `${last.created_at}|${last.id}` : null };
}

export interface FlagDetail {
  id: string;
  orgId: string;
  orgName: string;
  keyId: string;
  target: string;
  reason: Reason;
  note: string | null;
  evidence: Evidence | null;
  live: boolean;
  createdAt: string;
}

/** Who flagged an indicator, with the evidence: for admins only; a member's admin passes its own organization. */
export async function readFlagsOfIndicator(db: D1Database, indicatorId: string, onlyOrgId: string | null): Promise<FlagDetail[]> {
  const { results } = await db
    .prepare(
      `SELECT f.*, o.name AS org_name FROM flags AS f JOIN orgs AS o ON o.id = f.org_id
       WHERE f.indicator_id = ?1 AND (?2 IS NULL OR f.org_id = ?2) ORDER BY f.created_at, f.id`,
    )
    .bind(indicatorId, onlyOrgId)
    .all<{
      id: string;
      org_id: string;
      org_name: string;
      key_id: string;
      target: string;
      reason: Reason;
      note: string | null;
      evidence: string | null;
      live: number;
      created_at: string;
    }>();
  return results.map((row) => ({
    id: row.id,
    orgId: row.org_id,
    orgName: row.org_name,
    keyId: row.key_id,
    target: row.target,
    reason: row.reason,
    note: row.note,
    evidence: parseJson<Evidence>(row.evidence),
    live: row.live === 1,
    createdAt: row.created_at,
  }));
}
