import { CONSENSUS_STATUS, DISPUTED_STATUS, FIRST_STATUS, type Org, type OrgFigures } from '../../../shared';
import { newId, now } from './rows';

interface OrgRow {
  id: string;
  name: string;
  kind: Org['kind'];
  created_at: string;
  suspended_at: string | null;
}
const toOrg = (row: OrgRow): Org => ({ id: row.id, name: row.name, kind: row.kind, createdAt: row.created_at, suspendedAt: row.suspended_at });

export async function readOrg(db: D1Database, id: string): Promise<Org | null> {
  const row = await db.prepare('SELECT * FROM orgs WHERE id = ?1').bind(id).first<OrgRow>();
  return row ? toOrg(row) : null;
}

export async function listOrgs(db: D1Database): Promise<Org[]> {
  const { results } = await db.prepare('SELECT * FROM orgs ORDER BY created_at, id').all<OrgRow>();
  return results.map(toOrg);
}

export function insertOrgStatement(db: D1Database, org: Pick<Org, 'name' | 'kind'>): { org: Org; statement: D1PreparedStatement } {
  const created: Org = { id: newId('org'), name: org.name, kind: org.kind, createdAt: now(), suspendedAt: null };
  const statement = db
    .prepare('INSERT INTO orgs (id, name, kind, created_at) VALUES (?1, ?2, ?3, ?4)')
    .bind(created.id, created.name, created.kind, created.createdAt);
  return { org: created, statement };
}

export async function orgNameTaken(db: D1Database, name: string): Promise<boolean> {
  return (await db.prepare('SELECT 1 FROM orgs WHERE name = ?1').bind(name).first()) !== null;
}

export async function operatorExists(db: D1Database): Promise<boolean> {
  return (await db.prepare("SELECT 1 FROM orgs WHERE kind = 'operator'").first()) !== null;
}

/** Suspends (a time) or reinstates (null) an organization. */
export const setSuspendedStatement = (db: D1Database, id: string, at: string | null) =>
  db.prepare('UPDATE orgs SET suspended_at = ?2 WHERE id = ?1').bind(id, at);

/**
 * An organization's flags (?1) by what became of them; statuses from the list rules. Retired flags: withdrawn (its
 * time, or the audit row for flags withdrawn before it was kept), expired (its time), otherwise rejected by a reviewer.
 */
export const ORG_FIGURES_SQL = `SELECT
    COALESCE(SUM(f.live = 1 AND i.status = '${CONSENSUS_STATUS}'), 0) AS listed,
    COALESCE(SUM(f.live = 1 AND i.status = '${DISPUTED_STATUS}'), 0) AS disputed,
    COALESCE(SUM(f.live = 1 AND i.status = '${FIRST_STATUS}'), 0) AS pending,
    COALESCE(SUM(f.live = 0 AND f.expired_at IS NOT NULL), 0) AS expired,
    COALESCE(SUM(f.live = 0 AND f.expired_at IS NULL AND (f.withdrawn_at IS NOT NULL OR w.id IS NOT NULL)), 0) AS withdrawn,
    COALESCE(SUM(f.live = 0 AND f.expired_at IS NULL AND f.withdrawn_at IS NULL AND w.id IS NULL), 0) AS rejected
  FROM flags AS f
  JOIN indicators AS i ON i.id = f.indicator_id
  LEFT JOIN audit_log AS w ON w.subject_type = 'flag' AND w.subject_id = f.id AND w.action = 'flag.withdrawn'
  WHERE f.org_id = ?1`;

export async function readOrgFigures(db: D1Database, orgId: string): Promise<OrgFigures['flags']> {
  return (await db.prepare(ORG_FIGURES_SQL).bind(orgId).first<OrgFigures['flags']>())!;
}
