import { base64urlnopad } from '@scure/base';
import { FIRST_STATUS, type AppealSummary, type Dispute, type DisputeOutcome, type Indicator, type IndicatorKind } from '../../../shared';
import { ON_LIST_SQL } from './rows';
import { hashSecret } from './keys';

/**
 * Appeals and members' disputes. The open ones of one target (kind, value) are its case: a reviewer's decision
 * answers them all at once. Nothing here changes the list.
 */
export interface NewDispute {
  id: string;
  indicator: Indicator;
  contact: string;
  statement: string;
  createdAt: string;
  deadlineAt: string;
  /** A public appeal: the hash of the token the appellant holds. */
  tokenHash?: string;
  /** A member organization's dispute: who, for the audit (reviewers see that a member disputed, never which). */
  source?: { orgId: string; keyId: string };
}

/** `fld_` + 32 random bytes in base64url: the disputer's one way back to their dispute. */
export function generateDisputeToken(): string {
  return `fld_${base64urlnopad.encode(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export const hashDisputeToken = hashSecret;

/** Adds a dispute to its target's case; a member organization's second open dispute of one target adds nothing. */
export const insertDisputeStatement = (db: D1Database, d: NewDispute) =>
  db
    .prepare(
      `INSERT INTO disputes (id, token_hash, kind, value, contact, statement, source_org_id, source_key_id, created_at, deadline_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10
       WHERE ?7 IS NULL OR NOT EXISTS (
         SELECT 1 FROM disputes WHERE source_org_id = ?7 AND kind = ?3 AND value = ?4 AND outcome = 'open')`,
    )
    .bind(
      d.id,
      d.tokenHash ?? null,
      d.indicator.kind,
      d.indicator.value,
      d.contact,
      d.statement,
      d.source?.orgId ?? null,
      d.source?.keyId ?? null,
      d.createdAt,
      d.deadlineAt,
    );

/** How many disputes a target's case holds: an appeal past the cap waits for the reviewers' answer. */
export async function countOpenDisputes(db: D1Database, indicator: Indicator): Promise<number> {
  const row = await db
    .prepare("SELECT COUNT(*) AS n FROM disputes WHERE kind = ?1 AND value = ?2 AND outcome = 'open'")
    .bind(indicator.kind, indicator.value)
    .first<{ n: number }>();
  return row?.n ?? 0;
}

/** A reviewer's decision answers the target's whole case, with the public reason written for the appellants. */
export const resolveCaseStatement = (db: D1Database, indicator: Indicator, outcome: Exclude<DisputeOutcome, 'open'>, publicReason: string, at: string) =>
  db
    .prepare(`UPDATE disputes SET outcome = ?3, resolution = ?4, resolved_at = ?5 WHERE kind = ?1 AND value = ?2 AND outcome = 'open'`)
    .bind(indicator.kind, indicator.value, outcome, publicReason, at);

/**
 * Cases past their deadline whose target is not on the list nor waiting as a report (never flagged, or delisted
 * since) are answered with the neutral public reason: there was nothing for a reviewer to keep.
 */
export const closeOverdueOffListStatement = (db: D1Database, before: string, publicReason: string, at: string) =>
  db
    .prepare(
      `UPDATE disputes SET outcome = 'removed', resolution = ?2, resolved_at = ?3
       WHERE outcome = 'open' AND deadline_at < ?1 AND NOT EXISTS (
         SELECT 1 FROM indicators AS i WHERE i.kind = disputes.kind AND i.value = disputes.value AND (i.status IN ${ON_LIST_SQL} OR i.status = '${FIRST_STATUS}'))`,
    )
    .bind(before, publicReason, at);

interface DisputeRow {
  id: string;
  kind: IndicatorKind;
  value: string;
  outcome: DisputeOutcome;
  created_at: string;
  deadline_at: string;
  resolved_at: string | null;
  resolution: string | null;
}

const toDispute = (row: DisputeRow): Dispute => ({
  id: row.id,
  indicator: { kind: row.kind, value: row.value },
  outcome: row.outcome,
  createdAt: row.created_at,
  deadline: row.deadline_at,
  resolvedAt: row.resolved_at,
  resolution: row.resolution,
});

/** The one dispute a token opens (contact and statement stay with the reviewers). */
export async function readDisputeByToken(db: D1Database, token: string): Promise<Dispute | null> {
  const row = await db
    .prepare('SELECT id, kind, value, outcome, created_at, deadline_at, resolved_at, resolution FROM disputes WHERE token_hash = ?1')
    .bind(await hashDisputeToken(token))
    .first<DisputeRow>();
  return row ? toDispute(row) : null;
}

/** The open disputes of some targets (?1 JSON [{kind, value}]), newest first: what reviewers read before deciding. */
export async function readOpenDisputes(db: D1Database, targets: Indicator[]): Promise<(AppealSummary & Indicator)[]> {
  if (!targets.length) return [];
  const { results } = await db
    .prepare(
      `SELECT d.id, d.kind, d.value, d.contact, d.statement, d.source_org_id IS NOT NULL AS member, d.created_at, d.deadline_at
       FROM json_each(?1) AS t JOIN disputes AS d
         ON d.kind = json_extract(t.value, '$.kind') AND d.value = json_extract(t.value, '$.value') AND d.outcome = 'open'
       ORDER BY d.created_at DESC`,
    )
    .bind(JSON.stringify(targets))
    .all<{ id: string; kind: IndicatorKind; value: string; contact: string; statement: string; member: number; created_at: string; deadline_at: string }>();
  return results.map((r) => ({
    id: r.id,
    kind: r.kind,
    value: r.value,
    from: r.member ? 'member' : 'public',
    contact: r.member ? null : r.contact,
    statement: r.statement,
    createdAt: r.created_at,
    deadline: r.deadline_at,
  }));
}
