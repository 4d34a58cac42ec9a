import type { MiddlewareHandler } from 'hono';
import { auth as basicAuth } from 'hono/utils/basic-auth';
import { OPERATOR_ONLY_ROLES, Role } from '../../../shared';
import { looksLikeKey, readKeyHolder } from '../db/keys';
import { ApiError } from '../errors';
import { recordKeyUse } from '../services/admin';
import type { AppEnv, Caller } from '../types';

/** The key from "Bearer <key>", or, where allowed, from Basic auth's password (TAXII clients such as MISP and OpenCTI send that). */
function keyFrom(request: Request, allowBasic: boolean): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.get('authorization') ?? '')?.[1];
  if (bearer) return bearer;
  return allowBasic ? basicAuth(request)?.password : undefined;
}

/**
 * API key → caller (organization, role, operator or member). Unknown and revoked keys get the same 401;
 * a suspended organization's keys stop at once with their own code.
 */
export const authenticate = ({ allowBasic = false } = {}): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const secret = keyFrom(c.req.raw, allowBasic);
    // A 401 says how to authenticate (RFC 9110): a Bearer key, or for TAXII clients Basic with the key as password.
    const challenge = () =>
      c.header('WWW-Authenticate', allowBasic ? 'Basic realm="Flagline TAXII", charset="UTF-8", Bearer realm="Flagline"' : 'Bearer realm="Flagline"');
    if (!secret) {
      challenge();
      throw new ApiError(
        401,
        'unauthorized',
        allowBasic
          ? 'Send an API key: Basic auth with the key as password, or "Authorization: Bearer flk_…".'
          : 'Send an API key as "Authorization: Bearer flk_…".',
      );
    }
    const holder = looksLikeKey(secret) ? await readKeyHolder(c.env.DB, secret) : null;
    if (!holder || holder.key.revokedAt) {
      challenge();
      throw new ApiError(401, 'unauthorized', 'This API key is not valid or has been revoked.');
    }
    if (holder.orgSuspended) throw new ApiError(403, 'org_suspended', "This key's organization is suspended; its administrators can ask the operator why.");
    c.set('caller', { keyId: holder.key.id, orgId: holder.key.orgId, role: holder.key.role, operator: holder.operator });
    c.executionCtx.waitUntil(recordKeyUse(c.env.DB, holder.key));
    await next();
  };

/** Whether a caller holds a role; roles that decide for everyone count only inside the operator organization. */
export const hasRole = (caller: Caller, roles: readonly Role[]): boolean =>
  roles.includes(caller.role) && (caller.operator || !OPERATOR_ONLY_ROLES.includes(caller.role));

/** Every role: what reads of the list take (any valid key of a standing organization). */
export const ANY_ROLE: readonly Role[] = Role.options;

export const requireRole = (...roles: Role[]): MiddlewareHandler<AppEnv> =>
  async function requireRole(c, next) {
    const caller = c.get('caller');
    if (!hasRole(caller, roles)) {
      throw new ApiError(
        403,
        'forbidden',
        `This needs a key with role ${roles.join(' or ')}; this key is ${caller.operator ? '' : "a member organization's "}${caller.role}.`,
      );
    }
    await next();
  };

/** Powers over every organization: the operator's admins alone. */
export const requireOperator = (): MiddlewareHandler<AppEnv> =>
  async function requireOperator(c, next) {
    if (!c.get('caller').operator) throw new ApiError(403, 'forbidden', "Only the operator organization's admins manage organizations.");
    await next();
  };
