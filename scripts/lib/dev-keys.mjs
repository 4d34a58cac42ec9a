import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export const ROLES = ['admin', 'analyst', 'reviewer', 'reader'];
export const DEV_ORG_ID = 'org_dev';

// Same format and hash as worker/src/db/keys.ts: flk_ + 32 random bytes base64url, stored as SHA-256 hex.
export const generateSecret = () => `flk_${randomBytes(32).toString('base64url')}`;
export const hashSecret = (secret) => createHash('sha256').update(secret).digest('hex');

const sql = (value) => (value === null ? 'NULL' : `'${String(value).replaceAll("'", "''")}'`);

/**
 * SQL that creates the org and keys unless present; safe to run on every start. `keys` maps role → secret,
 * or is a list of [role, secret] pairs when an organization holds several keys of one role.
 */
export function seedSql({ orgId, orgName, orgKind, keys }) {
  const at = new Date().toISOString();
  const lines = [`INSERT OR IGNORE INTO orgs (id, name, kind, created_at) VALUES (${sql(orgId)}, ${sql(orgName)}, ${sql(orgKind)}, ${sql(at)});`];
  const pairs = Array.isArray(keys) ? keys : Object.entries(keys);
  for (const [i, [role, secret]] of pairs.entries()) {
    const id = Array.isArray(keys) ? `key_${orgId}_${role}_${i}` : `key_${orgId}_${role}`;
    lines.push(
      `INSERT OR IGNORE INTO api_keys (id, org_id, role, label, prefix, secret_hash, created_at) VALUES (${[
        id,
        orgId,
        role,
        `${role} (created by npm start)`,
        secret.slice(0, 10),
        hashSecret(secret),
        at,
      ]
        .map(sql)
        .join(', ')});`,
    );
  }
  return lines.join('\n');
}

/** The dev keys file: read it if a previous start wrote it, else make new keys. */
export function loadOrCreateDevKeys(file, endpoint) {
  if (existsSync(file)) {
    const saved = JSON.parse(readFileSync(file, 'utf8'));
    if (ROLES.every((role) => typeof saved.keys?.[role] === 'string')) return { created: false, data: { ...saved, endpoint } };
  }
  const data = { endpoint, keys: Object.fromEntries(ROLES.map((role) => [role, generateSecret()])) };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`, { mode: 0o600 });
  return { created: true, data };
}

export const newOrgId = () => `org_${randomUUID().replaceAll('-', '')}`;
