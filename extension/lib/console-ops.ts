import type { ZodType } from 'zod';
import {
  ApiKeyInfo,
  AuditPage,
  CreatedKey,
  expressionOf,
  KeyList,
  Org,
  OrgFigures,
  OrgList,
  OrgStatusChange,
  ReviewQueue,
  ReviewResponse,
  ServiceChangeResponse,
  ServiceResponse,
  ServiceReviewResponse,
  WhoAmI,
  WithdrawResponse,
  type Indicator,
  type Org as OrgType,
  type Role,
} from '../../shared';

interface Call<T> {
  path: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  schema: ZodType<T>;
}
const id = encodeURIComponent;

/**
 * Every call the reviewer and admin pages make, by name, with its path and the contract's schema. The
 * background runs these and nothing else for them: a page names an operation, never a URL.
 */
export const CONSOLE_OPS = {
  whoami: (_: Record<string, never>): Call<WhoAmI> => ({ path: '/v1/whoami', schema: WhoAmI }),
  /** My flags: withdraw one of the organization's own flags made by mistake. */
  withdraw: (p: { id: string; reason: string }): Call<WithdrawResponse> => ({
    path: `/v1/flags/${id(p.id)}/withdraw`,
    method: 'POST',
    body: { reason: p.reason },
    schema: WithdrawResponse,
  }),
  queue: (p: { offset?: number }): Call<ReviewQueue> => ({ path: `/v1/review/queue?limit=100&offset=${p.offset ?? 0}`, schema: ReviewQueue }),
  decide: (p: { action: 'confirm' | 'reject' | 'delist'; indicator: Indicator; reason: string; publicReason?: string }): Call<ReviewResponse> => ({
    path: `/v1/indicators/${p.action}`,
    method: 'POST',
    body: { target: expressionOf(p.indicator), reason: p.reason, ...(p.publicReason ? { publicReason: p.publicReason } : {}) },
    schema: ReviewResponse,
  }),
  service: (p: { id: string }): Call<ServiceResponse> => ({ path: `/v1/services/${id(p.id)}`, schema: ServiceResponse }),
  decideService: (p: { id: string; action: 'confirm' | 'delist'; reason: string; seen: string }): Call<ServiceReviewResponse> => ({
    path: `/v1/services/${id(p.id)}/review`,
    method: 'POST',
    body: { action: p.action, reason: p.reason, seen: p.seen },
    schema: ServiceReviewResponse,
  }),
  renameService: (p: { id: string; name: string; reason: string }): Call<ServiceChangeResponse> => ({
    path: `/v1/services/${id(p.id)}/rename`,
    method: 'POST',
    body: { name: p.name, reason: p.reason },
    schema: ServiceChangeResponse,
  }),
  mergeServices: (p: { id: string; from: string[]; reason: string }): Call<ServiceChangeResponse> => ({
    path: `/v1/services/${id(p.id)}/merge`,
    method: 'POST',
    body: { from: p.from, reason: p.reason },
    schema: ServiceChangeResponse,
  }),
  splitService: (p: { id: string; indicators: string[]; name: string; reason: string }): Call<ServiceChangeResponse> => ({
    path: `/v1/services/${id(p.id)}/split`,
    method: 'POST',
    body: { indicators: p.indicators, name: p.name, reason: p.reason },
    schema: ServiceChangeResponse,
  }),
  figures: (p: { orgId: string }): Call<OrgFigures> => ({ path: `/v1/admin/orgs/${id(p.orgId)}/figures`, schema: OrgFigures }),
  keys: (p: { orgId: string }): Call<KeyList> => ({ path: `/v1/admin/orgs/${id(p.orgId)}/keys`, schema: KeyList }),
  createKey: (p: { orgId: string; role: Role; label: string }): Call<CreatedKey> => ({
    path: `/v1/admin/orgs/${id(p.orgId)}/keys`,
    method: 'POST',
    body: { role: p.role, label: p.label },
    schema: CreatedKey,
  }),
  revokeKey: (p: { keyId: string }): Call<ApiKeyInfo> => ({ path: `/v1/admin/keys/${id(p.keyId)}/revoke`, method: 'POST', schema: ApiKeyInfo }),
  audit: (p: { orgId?: string; after?: number }): Call<AuditPage> => ({
    path: `/v1/admin/audit?limit=50&after=${p.after ?? 0}${p.orgId ? `&org=${id(p.orgId)}` : ''}`,
    schema: AuditPage,
  }),
  orgs: (_: Record<string, never>): Call<OrgList> => ({ path: '/v1/admin/orgs', schema: OrgList }),
  createOrg: (p: { name: string; kind: OrgType['kind'] }): Call<OrgType> => ({ path: '/v1/admin/orgs', method: 'POST', body: p, schema: Org }),
  orgStatus: (p: { orgId: string; suspend: boolean }): Call<OrgStatusChange> => ({
    path: `/v1/admin/orgs/${id(p.orgId)}/${p.suspend ? 'suspend' : 'reinstate'}`,
    method: 'POST',
    schema: OrgStatusChange,
  }),
} as const;

export type ConsoleOp = keyof typeof CONSOLE_OPS;
export type ConsoleParams<K extends ConsoleOp> = Parameters<(typeof CONSOLE_OPS)[K]>[0];
export type ConsoleResult<K extends ConsoleOp> = ReturnType<(typeof CONSOLE_OPS)[K]> extends Call<infer T> ? T : never;
export type ConsoleAnswer<T> = { ok: T } | { failure: string; code: string };

export const isConsoleOp = (op: unknown): op is ConsoleOp => typeof op === 'string' && Object.hasOwn(CONSOLE_OPS, op);

/** The call an operation stands for (params come from the extension's own pages). */
export const consoleCallOf = (op: ConsoleOp, params: unknown): Call<unknown> => (CONSOLE_OPS[op] as (p: unknown) => Call<unknown>)(params);
