import { base64urlnopad, hex } from '@scure/base';
import { API_KEY_PATTERN, type ApiKeyInfo, type Role } from '../../../shared';
import { newId, now } from './rows';

const KEY_PREFIX = 'flk_';

interface KeyRow {
  id: string;
  org_id: string;
  role: Role;
  label: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}
const toKey = (row: KeyRow): ApiKeyInfo => ({
  id: row.id,
  orgId: row.org_id,
  role: row.role,
  label: row.label,
  prefix: row.prefix,
  createdAt: row.created_at,
  lastUsedAt: row.last_used_at,
  revokedAt: row.revoked_at,
});

export async function hashSecret(secret: string): Promise<string> {
  return hex.encode(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret))));
}

/** `flk_` + 32 random bytes in base64url: recognizable in logs and secret scanners, 256 bits of entropy. */
export function generateSecret(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return `${KEY_PREFIX}${base64urlnopad.encode(bytes)}`;
}

export const looksLikeKey = (secret: string): boolean => API_KEY_PATTERN.test(secret);

export async function newKeyStatement(
  db: D1Database,
  orgId: string,
  role: Role,
  label: string,
): Promise<{ key: ApiKeyInfo; secret: string; statement: D1PreparedStatement }> {
  const secret = generateSecret();
  const key: ApiKeyInfo = {
    id: newId('key'),
    orgId,
    role,
    label,
    prefix: secret.slice(0, KEY_PREFIX.length + 6),
    createdAt: now(),
    lastUsedAt: null,
    revokedAt: null,
  };
  const statement = db
    .prepare('INSERT INTO api_keys (id, org_id, role, label, prefix, secret_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
    .bind(key.id, orgId, role, label, key.prefix, await hashSecret(secret), key.createdAt);
  return { key, secret, statement };
}

export interface KeyHolder {
  key: ApiKeyInfo;
  operator: boolean;
  orgSuspended: boolean;
}

/** The key behind a secret with what authorization needs of its organization, in one indexed read. */
export async function readKeyHolder(db: D1Database, secret: string): Promise<KeyHolder | null> {
  const row = await db
    .prepare(
      `SELECT k.*, o.kind = 'operator' AS operator, o.suspended_at IS NOT NULL AS suspended
       FROM api_keys AS k JOIN orgs AS o ON o.id = k.org_id WHERE k.secret_hash = ?1`,
    )
    .bind(await hashSecret(secret))
    .first<KeyRow & { operator: number; suspended: number }>();
  return row ? { key: toKey(row), operator: row.operator === 1, orgSuspended: row.suspended === 1 } : null;
}

export async function readKey(db: D1Database, id: string): Promise<ApiKeyInfo | null> {
  const row = await db.prepare('SELECT * FROM api_keys WHERE id = ?1').bind(id).first<KeyRow>();
  return row ? toKey(row) : null;
}

export async function listKeys(db: D1Database, orgId: string): Promise<ApiKeyInfo[]> {
  const { results } = await db.prepare('SELECT * FROM api_keys WHERE org_id = ?1 ORDER BY created_at, id').bind(orgId).all<KeyRow>();
  return results.map(toKey);
}

/** Whether keys (?1 JSON ids) still stand: revoked, or their organization suspended (the single writer asks at commit). */
export const keyStandingStatement = (db: D1Database, keyIds: string[]) =>
  db
    .prepare(
      `SELECT k.id, k.revoked_at IS NOT NULL AS revoked, o.suspended_at IS NOT NULL AS suspended
       FROM api_keys AS k JOIN orgs AS o ON o.id = k.org_id WHERE k.id IN (SELECT value FROM json_each(?1))`,
    )
    .bind(JSON.stringify(keyIds));
export interface KeyStandingRow {
  id: string;
  revoked: number;
  suspended: number;
}

export const revokeKeyStatement = (db: D1Database, id: string, at: string) =>
  db.prepare('UPDATE api_keys SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL').bind(id, at);

/**
 * Last use at minute precision: one write per key per minute, not one per request. The caller already
 * holds the key's last use, so most requests write nothing at all.
 */
export async function touchKey(db: D1Database, key: Pick<ApiKeyInfo, 'id' | 'lastUsedAt'>, at = now()): Promise<void> {
  const minuteAgo = new Date(Date.parse(at) - 60_000).toISOString();
  if (key.lastUsedAt && key.lastUsedAt >= minuteAgo) return;
  await db.prepare('UPDATE api_keys SET last_used_at = ?2 WHERE id = ?1 AND (last_used_at IS NULL OR last_used_at < ?3)').bind(key.id, at, minuteAgo).run();
}
