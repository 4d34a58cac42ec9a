import { env, exports } from 'cloudflare:workers';
import type { Org, Role } from '../../shared';
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

/** Calls the worker through its public fetch handler, as a partner's HTTP client would. */
export async function call(method: string, path: string, { key, body, headers = {} }: CallOptions = {}) {
  const init: RequestInit = { method, headers: { ...headers } };
  if (key) (init.headers as Record<string, string>).authorization = `Bearer ${key}`;
  if (body !== undefined) {
    (init.headers as Record<string, string>)['content-type'] ??= 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await exports.default.fetch(new Request(`https://flagline.test${path}`, init));
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: response.status, headers: response.headers, text, json };
}

export const flag = (key: string, body: unknown, idempotencyKey: string = crypto.randomUUID()) =>
  call('POST', '/v1/flags', { key, body, headers: { 'idempotency-key': idempotencyKey } });
