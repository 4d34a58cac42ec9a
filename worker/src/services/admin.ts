import { OPERATOR_ONLY_ROLES, type ApiKeyInfo, type Org, type Role } from '../../../shared';
import { auditStatement } from '../db/audit';
import { newKeyStatement, readKey, revokeKeyStatement, touchKey } from '../db/keys';
import { insertOrgStatement, operatorExists, orgNameTaken, readOrg } from '../db/orgs';
import { now } from '../db/rows';
import { ApiError } from '../errors';
import type { Caller } from '../types';

/*
 * Organizations and keys: each change and its audit row in one batch. Who may do what is decided here,
 * next to the writes, so no route can forget it: the operator's admins act on every organization, a
 * member's admin on its own only, and another organization's objects answer 404 (their existence stays private).
 */

const notFound = (what: string, id: string) => new ApiError(404, 'not_found', `No ${what} ${id}.`);

/** The organization a caller may administer, or 404. */
export async function orgInReach(db: D1Database, caller: Caller, orgId: string): Promise<Org> {
  const org = caller.operator || orgId === caller.orgId ? await readOrg(db, orgId) : null;
  if (!org) throw notFound('organization', orgId);
  return org;
}

export async function createOrg(db: D1Database, caller: Caller, input: Pick<Org, 'name' | 'kind'>): Promise<Org> {
  if (input.kind === 'operator' && (await operatorExists(db))) {
    throw new ApiError(
      422,
      'operator_exists',
      'This deployment has its operator organization; create member organizations (payment_processor, app_store, platform, ngo, other).',
    );
  }
  if (await orgNameTaken(db, input.name)) throw new ApiError(409, 'conflict', `An organization named "${input.name}" exists.`);
  const { org, statement } = insertOrgStatement(db, input);
  await db.batch([
    statement,
    auditStatement(db, {
      action: 'org.created',
      actorOrgId: caller.orgId,
      actorKeyId: caller.keyId,
      subjectType: 'org',
      subjectId: org.id,
      orgId: org.id,
      details: { name: org.name, kind: org.kind },
    }),
  ]);
  return org;
}

export async function createKey(db: D1Database, caller: Caller, orgId: string, role: Role, label: string): Promise<ApiKeyInfo & { key: string }> {
  const org = await orgInReach(db, caller, orgId);
  if (org.kind !== 'operator' && OPERATOR_ONLY_ROLES.includes(role)) {
    throw new ApiError(
      422,
      'role_not_allowed',
      `The ${role} role decides for every member and exists only in the operator organization; member organizations hold admin, analyst and reader keys.`,
    );
  }
  const { key, secret, statement } = await newKeyStatement(db, orgId, role, label);
  await db.batch([
    statement,
    auditStatement(db, {
      action: 'key.created',
      actorOrgId: caller.orgId,
      actorKeyId: caller.keyId,
      subjectType: 'key',
      subjectId: key.id,
      orgId,
      details: { orgId, role, label },
    }),
  ]);
  return { ...key, key: secret };
}

export async function revokeKey(db: D1Database, caller: Caller, keyId: string): Promise<ApiKeyInfo> {
  const key = await readKey(db, keyId);
  if (!key || (!caller.operator && key.orgId !== caller.orgId)) throw notFound('key', keyId);
  if (key.revokedAt) throw new ApiError(409, 'conflict', `Key ${keyId} was revoked at ${key.revokedAt}.`);
  const at = now();
  await db.batch([
    revokeKeyStatement(db, keyId, at),
    auditStatement(
      db,
      {
        action: 'key.revoked',
        actorOrgId: caller.orgId,
        actorKeyId: caller.keyId,
        subjectType: 'key',
        subjectId: keyId,
        orgId: key.orgId,
        details: { orgId: key.orgId },
      },
      at,
    ),
  ]);
  return { ...key, revokedAt: at };
}

/** A key's last use, for its organization's admins (minute precision: most requests write nothing). */
export const recordKeyUse = (db: D1Database, key: Pick<ApiKeyInfo, 'id' | 'lastUsedAt'>) => touchKey(db, key);
