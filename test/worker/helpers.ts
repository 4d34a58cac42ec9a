import { env, exports } from 'cloudflare:workers';
import type {
  ApiKeyInfo,
  ChangesResponse,
  CreatedKey,
  ErrorBody,
  FlagResponse,
  FullHashResponse,
  IndicatorFlags,
  KeyList,
  ListResponse,
  LookupResponse,
  LookupResult,
  Org,
  OrgList,
  OrgStatusChange,
  OrgFigures,
  OwnFlagsPage,
  PrefixSetResponse,
  PublicKeys,
  ReviewResponse,
  Role,
  WhoAmI,
  AuditPage,
  Dispute,
  DisputeCreated,
  ServiceChangeResponse,
  ServiceResponse,
  ServiceReviewResponse,
} from '../../shared';
import { newKeyStatement } from '../../worker/src/db/keys';
import { insertOrgStatement, readOrg } from '../../worker/src/db/orgs';

export const db = () => env.DB;

let orgCounter = 0;

async function withKeys(org: Org, roles: Role[], statements: D1PreparedStatement[] = []) {
  const keys = await Promise.all(roles.map((role) => newKeyStatement(env.DB, org.id, role, `${role} key`)));
  await env.DB.batch([...statements, ...keys.map((k) => k.statement)]);
  const byRole = Object.fromEntries(keys.map((k) => [k.key.role, k.secret])) as Record<Role, string>;
  return { org, keys: byRole, keyIds: Object.fromEntries(keys.map((k) => [k.key.role, k.key.id])) as Record<Role, string> };
}

/** A fresh member organization with one key per requested role, written straight to D1 (as `npm start` seeds dev keys). */
export async function newOrg(...roles: Role[]) {
  const { org, statement } = insertOrgStatement(env.DB, { name: `Demo Org ${++orgCounter} ${crypto.randomUUID().slice(0, 8)}`, kind: 'payment_processor' });
  return withKeys(org, roles, [statement]);
}

/** The deployment's one operator organization (created on first use, as `npm start` does), with fresh keys per role. */
export async function operatorOrg(...roles: Role[]) {
  const found = await env.DB.prepare("SELECT id FROM orgs WHERE kind = 'operator'").first<{ id: string }>();
  if (found) return withKeys((await readOrg(env.DB, found.id))!, roles);
  const { org, statement } = insertOrgStatement(env.DB, { name: 'Demo Operator', kind: 'operator' });
  return withKeys(org, roles, [statement]);
}

export interface CallOptions {
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

type Get = 'GET';
type Post = 'POST';

/** The contract's answer for a route, by method and path (the shared schemas' types). */
export type Answer<M extends string, P extends string> = P extends '/v1/disputes'
  ? DisputeCreated
  : P extends '/v1/disputes/status'
    ? Dispute
    : P extends `/v1/services/${string}/review`
      ? ServiceReviewResponse
      : P extends `/v1/services/${string}/${'rename' | 'merge' | 'split'}`
        ? ServiceChangeResponse
        : P extends `/v1/services/${string}`
          ? ServiceResponse
          : AnswerOf<M, P>;

type AnswerOf<M extends string, P extends string> = P extends `/v1/list?format=stix${string}`
  ? StixBundle
  : P extends `/v1/flags${string}`
    ? M extends Post
      ? FlagResponse
      : OwnFlagsPage
    : P extends `/v1/list${string}`
      ? ListResponse
      : P extends `/v1/changes${string}`
        ? ChangesResponse
        : P extends `/v1/lookup${string}`
          ? M extends Get
            ? LookupResult
            : LookupResponse
          : P extends '/v1/whoami'
            ? WhoAmI
            : P extends `/v1/admin/orgs/${string}/keys`
              ? M extends Post
                ? CreatedKey
                : KeyList
              : P extends `/v1/admin/orgs/${string}/figures`
                ? OrgFigures
                : P extends `/v1/admin/orgs/${string}/${'suspend' | 'reinstate'}`
                  ? OrgStatusChange
                  : P extends '/v1/admin/orgs'
                    ? M extends Post
                      ? Org
                      : OrgList
                    : P extends `/v1/admin/keys/${string}/revoke`
                      ? ApiKeyInfo
                      : P extends `/v1/admin/audit${string}`
                        ? AuditPage
                        : P extends `/v1/admin/flags${string}`
                          ? IndicatorFlags
                          : P extends `/v1/indicators/${string}`
                            ? ReviewResponse
                            : P extends '/v1/prefixes'
                              ? PrefixSetResponse
                              : P extends '/v1/hashes'
                                ? FullHashResponse
                                : P extends '/openapi.json'
                                  ? OpenApiDocument
                                  : P extends '/.well-known/flagline-keys.json'
                                    ? PublicKeys
                                    : TaxiiAnswer;

/** A STIX 2.1 bundle as the list's stix format and TAXII write it. */
interface StixBundle {
  type: 'bundle';
  id: string;
  objects: { type: string; id: string; pattern?: string; revoked?: boolean; [property: string]: unknown }[];
}

/** What the tests read of the OpenAPI document. */
interface OpenApiDocument {
  openapi: string;
  paths: Record<string, unknown>;
  components: { schemas: Record<string, { properties: Record<string, { $ref?: string }> }> };
}

/** TAXII 2.1 answers (discovery, API root, collections, envelopes, manifests), as the tests read them. */
interface TaxiiAnswer {
  api_roots?: string[];
  versions?: string[];
  collections?: { id: string; can_read: boolean; can_write: boolean }[];
  objects?: {
    type: string;
    id: string;
    revoked?: boolean;
    modified?: string;
    version?: string;
    x_flagline_value?: string;
    x_flagline_service?: string;
    x_flagline_status?: string;
    media_type?: string;
  }[];
  title?: string;
  description?: string;
  http_status?: string;
  more?: boolean;
  next?: string;
}

/** A response as a test reads it: the contract's success shape, or the one error shape. */
export interface Called<T> {
  status: number;
  headers: Headers;
  text: string;
  json: T & Partial<ErrorBody>;
}

/** Calls the worker through its public fetch handler, as a partner's HTTP client would. */
export async function call<M extends string, P extends string>(
  method: M,
  path: P,
  { key, body, headers = {} }: CallOptions = {},
): Promise<Called<Answer<M, P>>> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (key) (init.headers as Record<string, string>).authorization = `Bearer ${key}`;
  if (body !== undefined) {
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await exports.default.fetch(new Request(`https://flagline.test${path}`, init));
  const text = await response.text();
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, headers: response.headers, text, json: json as Answer<M, P> & Partial<ErrorBody> };
}

export const flag = (key: string, body: unknown, idempotencyKey: string = crypto.randomUUID()) =>
  call('POST', '/v1/flags', { key, body, headers: { 'idempotency-key': idempotencyKey } });
