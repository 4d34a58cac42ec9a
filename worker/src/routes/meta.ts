import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { WhoAmI } from '../../../shared';
import { readHead } from '../db/changes';
import { readKey } from '../db/keys';
import { readOrg } from '../db/orgs';
import { authenticate } from '../middleware/auth';
import { allow } from '../route-roles';
import { bearer, errors, json, newApp } from '../openapi';

export const meta = newApp();

meta.openapi(
  createRoute({
    method: 'get',
    path: '/v1/whoami',
    operationId: 'whoAmI',
    summary: "The calling key's organization, role, and whether it is the operator (the extension's connection test)",
    security: bearer,
    middleware: [authenticate(), ...allow('whoAmI')] as const,
    responses: { 200: json(WhoAmI, 'Organization and key'), ...errors(401, 403) },
  }),
  async (c) => {
    const caller = c.get('caller');
    const [org, key] = await Promise.all([readOrg(c.env.DB, caller.orgId), readKey(c.env.DB, caller.keyId)]);
    return c.json({ org: org!, key: { id: key!.id, role: key!.role, label: key!.label, prefix: key!.prefix }, operator: caller.operator }, 200);
  },
);

meta.openapi(
  createRoute({
    method: 'get',
    path: '/health',
    operationId: 'health',
    security: [], // public: no key needed
    summary: 'Liveness and database reachability',
    responses: { 200: json(z.object({ ok: z.literal(true), version: z.number().int() }), 'Healthy') },
  }),
  async (c) => c.json({ ok: true as const, version: (await readHead(c.env.DB)).version }, 200),
);
