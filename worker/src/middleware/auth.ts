import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../../shared';
import { looksLikeKey, readKeyBySecret, touchKey } from '../db/keys';
import { ApiError } from '../errors';
import type { AppEnv } from '../types';

/** Bearer API key → caller (organization, role). Unknown and revoked keys get the same 401. */
export const authenticate = (): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const header = c.req.header('authorization') ?? '';
    const secret = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!secret) throw new ApiError(401, 'unauthorized', 'Send an API key as "Authorization: Bearer flk_…".');
    const key = looksLikeKey(secret) ? await readKeyBySecret(c.env.DB, secret) : null;
    if (!key || key.revokedAt) throw new ApiError(401, 'unauthorized', 'This API key is not valid or has been revoked.');
    c.set('caller', { keyId: key.id, orgId: key.orgId, role: key.role });
    c.executionCtx.waitUntil(touchKey(c.env.DB, key.id));
    await next();
  };

export const requireRole = (...roles: Role[]): MiddlewareHandler<AppEnv> =>
  async function requireRole(c, next) {
    const { role } = c.get('caller');
    if (!roles.includes(role)) {
      throw new ApiError(403, 'forbidden', `This needs a key with role ${roles.join(' or ')}; this key is ${role}.`);
    }
    await next();
  };
