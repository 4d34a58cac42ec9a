import { base64urlnopad } from '@scure/base';
import type { Dispute, DisputeOutcome, IndicatorKind } from '../../../shared';
import { hashSecret } from './keys';

export interface NewDispute {
  id: string;
  tokenHash: string;
  contact: string;
  statement: string;
  createdAt: string;
  deadlineAt: string;
}

/** `fld_` + 32 random bytes in base64url: the disputer's one way back to their dispute. */
export function generateDisputeToken(): string {
  return `fld_${base64urlnopad.encode(crypto.getRandomValues(new Uint8Array(32)))}`;
}

export const hashDisputeToken = hashSecret;

export const insertDisputeStatement = (db: D1Database, indicatorId: string, d: NewDispute) =>
  db
    .prepare(
      `INSERT INTO disputes (id, token_hash, indicator_id, contact, statement, created_at, deadline_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)`,
    )
    .bind(d.id, d.tokenHash, indicatorId, d.contact, d.statement, d.createdAt, d.deadlineAt);

/** A reviewer's decision on the indicator closes every dispute still open on it, with the reviewer's reason. */
export const resolveDisputesStatement = (db: D1Database, indicatorId: string, outcome: Exclude<DisputeOutcome, 'open'>, resolution: string, at: string) =>
  db
    .prepare(`UPDATE disputes SET outcome = ?2, resolution = ?3, resolved_at = ?4 WHERE indicator_id = ?1 AND outcome = 'open'`)
    .bind(indicatorId, outcome, resolution, at);

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
    .prepare(
      `SELECT d.id, i.kind, i.value, d.outcome, d.created_at, d.deadline_at, d.resolved_at, d.resolution
       FROM disputes AS d JOIN indicators AS i ON i.id = d.indicator_id WHERE d.token_hash = ?1`,
    )
    .bind(await hashDisputeToken(token))
    .first<DisputeRow>();
  return row ? toDispute(row) : null;
}
