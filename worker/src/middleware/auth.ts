import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../../shared';
import { looksLikeKey, readKeyBySecret, touchKey } from '../db/keys';
import { ApiError } from '../errors';
import type { AppEnv } from '../types';

/** The key from "Bearer <key>", or from Basic auth's password (TAXII clients such as MISP and OpenCTI send that). */
function keyFrom(header: string): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
  if (bearer) return bearer;
  const basic = /^Basic\s+(\S+)$/i.exec(header)?.[1];
  if (!basic) return undefined;
  try {
    const decoded = atob(basic);
    return decoded.slice(decoded.indexOf(':') + 1);
  } catch {
    return undefined;
  }
}

/** API key → caller (organization, role). Unknown and revoked keys get the same 401. */
export const authenticate = (): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const secret = keyFrom(c.req.header('authorization') ?? '');
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
