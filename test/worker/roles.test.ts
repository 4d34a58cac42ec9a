import { describe, expect, it } from 'vitest';
import { Role } from '../../shared';
import { allows, ROUTE_ROLES, type KeyedOperation } from '../../worker/src/route-roles';
import { call, newOrg, operatorOrg } from './helpers';

/*
 * Every keyed operation's roles are declared once (worker/src/route-roles.ts); this tries every role of the
 * operator and of a member organization on every one of them, from the OpenAPI document, so a new route gets these
 * tests for free and a route without a declaration fails here.
 */
type Operation = { operationId: string; security?: unknown[] };
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

describe('roles, declared once and tried on every keyed route', () => {
  it('should declare the roles of exactly the operations that take a key', async () => {
    const doc = (await call('GET', '/openapi.json')).json as unknown as { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> };
    const keyed = Object.values(doc.paths)
      .flatMap((path) => METHODS.flatMap((method) => (path[method] ? [path[method]!] : [])))
      .filter((op) => (op.security ?? [{}]).length > 0)
      .map((op) => op.operationId)
      .sort();
    expect(keyed).toEqual(Object.keys(ROUTE_ROLES).sort());
  });

  it('should refuse every role a route does not allow with 403, and let every role it allows through', async () => {
    const doc = (await call('GET', '/openapi.json')).json as unknown as { paths: Record<string, Partial<Record<(typeof METHODS)[number], Operation>>> };
    const operator = await operatorOrg(...Role.options);
    const member = await newOrg('admin', 'analyst', 'reader');
    const callers = [
      ...Role.options.map((role) => ({ role, operator: true, key: operator.keys[role] })),
      ...(['admin', 'analyst', 'reader'] as const).map((role) => ({ role, operator: false, key: member.keys[role] })),
    ];
    const wrong: string[] = [];
    for (const [template, methods] of Object.entries(doc.paths)) {
      // Any id will do: a route's guard answers before its parameters are read.
      const path = template.replace(/\{[^}]+\}/g, 'svc_00000000000000000000000000000000');
      for (const method of METHODS) {
        const op = methods[method];
        if (!op || !(op.operationId in ROUTE_ROLES)) continue;
        for (const caller of callers) {
          const res = await call(method.toUpperCase(), path, { key: caller.key, ...(method === 'get' ? {} : { body: {} }) });
          const expected = allows(op.operationId as KeyedOperation, caller.role, caller.operator);
          const refused = res.status === 403 || res.status === 401;
          if (refused === expected) wrong.push(`${op.operationId} as ${caller.operator ? 'operator' : 'member'} ${caller.role}: ${res.status}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});
