import type { MiddlewareHandler } from 'hono';
import type { Role } from '../../shared';
import { ANY_ROLE, requireOperator, requireRole } from './middleware/auth';
import type { AppEnv } from './types';

/** Who may call an operation: its roles, and whether only the operator organization's keys of those roles. */
interface Allowed {
  roles: readonly Role[];
  operatorOnly?: boolean;
}

const REVIEWERS = { roles: ['reviewer'] } as const;
const ADMINS = { roles: ['admin'] } as const;
const OPERATOR_ADMINS = { roles: ['admin'], operatorOnly: true } as const;
const ANY_KEY = { roles: ANY_ROLE } as const;

/**
 * Every keyed operation's allowed roles, declared once, by operationId: the routes take their guard from here
 * (`allow`) and test/worker/roles.test.ts tries every role of both kinds of organization on every one. The reviewer
 * role exists only in the operator organization, so reviewer-only operations are the operator's.
 */
export const ROUTE_ROLES = {
  whoAmI: ANY_KEY,
  getList: ANY_KEY,
  getChanges: ANY_KEY,
  lookUp: ANY_KEY,
  lookUpMany: ANY_KEY,
  getPrefixSet: ANY_KEY,
  getFullHashes: ANY_KEY,
  getService: ANY_KEY,
  flag: { roles: ['analyst', 'reviewer'] },
  listOwnFlags: { roles: ['analyst', 'reviewer'] },
  withdrawFlag: { roles: ['analyst', 'admin'] },
  confirmIndicator: REVIEWERS,
  rejectIndicator: REVIEWERS,
  delistIndicator: REVIEWERS,
  // A member analyst's dispute proposes (it joins the case); an operator reviewer's marks the listing.
  disputeIndicator: { roles: ['analyst', 'reviewer'] },
  getReviewQueue: REVIEWERS,
  answerAppeals: REVIEWERS,
  renameService: REVIEWERS,
  mergeService: REVIEWERS,
  splitService: REVIEWERS,
  reviewService: REVIEWERS,
  createOrg: OPERATOR_ADMINS,
  listOrgs: OPERATOR_ADMINS,
  suspendOrg: OPERATOR_ADMINS,
  reinstateOrg: OPERATOR_ADMINS,
  createKey: ADMINS,
  listKeys: ADMINS,
  getOrgFigures: ADMINS,
  revokeKey: ADMINS,
  readAudit: ADMINS,
  readIndicatorFlags: ADMINS,
} satisfies Record<string, Allowed>;
export type KeyedOperation = keyof typeof ROUTE_ROLES;

/** The guard of an operation (after `authenticate`): its roles, and the operator check where it has one. */
export function allow(operation: KeyedOperation): MiddlewareHandler<AppEnv>[] {
  const allowed: Allowed = ROUTE_ROLES[operation];
  return [requireRole(...allowed.roles), ...(allowed.operatorOnly ? [requireOperator()] : [])];
}

/** Whether a caller of that role and organization may call the operation (what the role test expects). */
export function allows(operation: KeyedOperation, role: Role, operator: boolean): boolean {
  const allowed: Allowed = ROUTE_ROLES[operation];
  return allowed.roles.includes(role) && (!allowed.operatorOnly || operator) && (operator || role !== 'reviewer');
}
