import type { AuditEvent } from '../../../shared';
import { now, parseJson } from './rows';

export interface AuditEntry {
  action: string;
  actorOrgId: string | null;
  actorKeyId: string | null;
  subjectType: 'org' | 'key' | 'indicator' | 'flag' | 'dispute' | 'service';
  subjectId: string;
  /** The organization the row concerns (flagger, key owner, the organization itself); null for list-wide decisions. */
  orgId?: string | null;
  fromStatus?: string | null;
  toStatus?: string | null;
  reason?: string | null;
  details?: Record<string, unknown> | null;
}

/** Audit rows are written in the same batch as the change they record; triggers forbid edits. */
export const auditStatement = (db: D1Database, entry: AuditEntry, at = now()) =>
  db
    .prepare(
      `INSERT INTO audit_log (at, action, actor_org_id, actor_key_id, subject_type, subject_id, from_status, to_status, reason, details, org_id)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)`,
    )
    .bind(
      at,
      entry.action,
      entry.actorOrgId,
      entry.actorKeyId,
      entry.subjectType,
      entry.subjectId,
      entry.fromStatus ?? null,
      entry.toStatus ?? null,
      entry.reason ?? null,
      entry.details ? JSON.stringify(entry.details) : null,
      entry.orgId ?? null,
    );

interface AuditRow {
  id: number;
  at: string;
  action: string;
  actor_org_id: string | null;
  actor_key_id: string | null;
  subject_type: string;
  subject_id: string;
  from_status: string | null;
  to_status: string | null;
  reason: string | null;
  details: string | null;
}

export interface AuditFilter {
  after: number;
  limit: number;
  subjectId?: string;
  /** Rows this organization acted in or that concern it; null for every row (operator admins). */
  orgId: string | null;
  from?: string;
  to?: string;
  /** One action, or a family when it ends in a dot. */
  action?: string;
}

export async function readAudit(db: D1Database, query: AuditFilter): Promise<{ events: AuditEvent[]; more: boolean }> {
  const action = query.action?.endsWith('.') ? { prefix: query.action, exact: null } : { prefix: null, exact: query.action ?? null };
  const { results } = await db
    .prepare(
      `SELECT * FROM audit_log WHERE id > ?1 AND (?2 IS NULL OR subject_id = ?2)
       AND (?4 IS NULL OR org_id = ?4 OR actor_org_id = ?4)
       AND (?5 IS NULL OR at >= ?5) AND (?6 IS NULL OR at < ?6)
       AND (?7 IS NULL OR action = ?7) AND (?8 IS NULL OR substr(action, 1, length(?8)) = ?8)
       ORDER BY id LIMIT ?3`,
    )
    .bind(query.after, query.subjectId ?? null, query.limit + 1, query.orgId, query.from ?? null, query.to ?? null, action.exact, action.prefix)
    .all<AuditRow>();
  const events = results.slice(0, query.limit).map((row) => ({
    id: row.id,
    at: row.at,
    action: row.action,
    actorOrgId: row.actor_org_id,
    actorKeyId: row.actor_key_id,
    subjectType: row.subject_type,
    subjectId: row.subject_id,
    fromStatus: row.from_status,
    toStatus: row.to_status,
    reason: row.reason,
    details: parseJson<Record<string, unknown>>(row.details),
  }));
  return { events, more: results.length > query.limit };
}
