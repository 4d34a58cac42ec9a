import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  ApiKeyInfo, AuditPage, AuditQuery, CreatedKey, CreateKeyRequest, CreateOrgRequest, IndicatorKind, KeyList, Org, OrgList, Reason, Target,
} from '../../../shared';
import { auditStatement, readAudit } from '../db/audit';
import { readFlagsOfIndicator } from '../db/flags';
import { readIndicators } from '../db/indicators';
import { listKeys, newKeyStatement, readKey, revokeKeyStatement } from '../db/keys';
import { insertOrgStatement, listOrgs, orgNameTaken, readOrg } from '../db/orgs';
import { now } from '../db/rows';
import { ApiError } from '../errors';
import { authenticate, requireRole } from '../middleware/auth';
import { jsonBodyGuard } from '../middleware/json-body';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { parseTargets } from '../services/targets';

export const admin = newApp();
admin.use('/v1/admin/*', authenticate(), requireRole('admin'));

const OrgParams = z.object({ id: z.string().min(1).max(64) });

admin.openapi(
  createRoute({
    method: 'post', path: '/v1/admin/orgs', summary: 'Create an organization', security: bearer,
    middleware: [jsonBodyGuard()] as const,
    request: jsonBody(CreateOrgRequest),
    responses: { 201: json(Org, 'The organization'), ...errors(400, 401, 403, 409, 415) },
  }),
  async (c) => {
    const body = c.req.valid('json');
    if (await orgNameTaken(c.env.DB, body.name)) throw new ApiError(409, 'conflict', `An organization named "${body.name}" exists.`);
    const caller = c.get('caller');
    const { org, statement } = insertOrgStatement(c.env.DB, body);
    await c.env.DB.batch([
      statement,
      auditStatement(c.env.DB, { action: 'org.created', actorOrgId: caller.orgId, actorKeyId: caller.keyId, subjectType: 'org', subjectId: org.id, details: { name: org.name, kind: org.kind } }),
    ]);
    return c.json(org, 201);
  },
);

admin.openapi(
  createRoute({
    method: 'get', path: '/v1/admin/orgs', summary: 'List organizations', security: bearer,
    responses: { 200: json(OrgList, 'All organizations'), ...errors(401, 403) },
  }),
  async (c) => c.json({ orgs: await listOrgs(c.env.DB) }, 200),
);

admin.openapi(
  createRoute({
    method: 'post', path: '/v1/admin/orgs/{id}/keys', summary: 'Create an API key for an organization',
    description: 'The key is in the response once and never again: only its hash is stored.', security: bearer,
    middleware: [jsonBodyGuard()] as const,
    request: { params: OrgParams, ...jsonBody(CreateKeyRequest) },
    responses: { 201: json(CreatedKey, 'The key, shown once'), ...errors(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const { role, label } = c.req.valid('json');
    if (!(await readOrg(c.env.DB, id))) throw new ApiError(404, 'not_found', `No organization ${id}.`);
    const caller = c.get('caller');
    const { key, secret, statement } = await newKeyStatement(c.env.DB, id, role, label);
    await c.env.DB.batch([
      statement,
      auditStatement(c.env.DB, { action: 'key.created', actorOrgId: caller.orgId, actorKeyId: caller.keyId, subjectType: 'key', subjectId: key.id, details: { orgId: id, role, label } }),
    ]);
    return c.json({ ...key, key: secret }, 201);
  },
);

admin.openapi(
  createRoute({
    method: 'get', path: '/v1/admin/orgs/{id}/keys', summary: "An organization's keys (never the secrets)", security: bearer,
    request: { params: OrgParams },
    responses: { 200: json(KeyList, 'The keys'), ...errors(401, 403, 404) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    if (!(await readOrg(c.env.DB, id))) throw new ApiError(404, 'not_found', `No organization ${id}.`);
    return c.json({ keys: await listKeys(c.env.DB, id) }, 200);
  },
);

admin.openapi(
  createRoute({
    method: 'post', path: '/v1/admin/keys/{id}/revoke', summary: 'Revoke an API key at once', security: bearer,
    request: { params: OrgParams },
    responses: { 200: json(ApiKeyInfo, 'The revoked key'), ...errors(401, 403, 404, 409) },
  }),
  async (c) => {
    const { id } = c.req.valid('param');
    const key = await readKey(c.env.DB, id);
    if (!key) throw new ApiError(404, 'not_found', `No key ${id}.`);
    if (key.revokedAt) throw new ApiError(409, 'conflict', `Key ${id} was revoked at ${key.revokedAt}.`);
    const caller = c.get('caller');
    const at = now();
    await c.env.DB.batch([
      revokeKeyStatement(c.env.DB, id, at),
      auditStatement(c.env.DB, { action: 'key.revoked', actorOrgId: caller.orgId, actorKeyId: caller.keyId, subjectType: 'key', subjectId: id, details: { orgId: key.orgId } }, at),
    ]);
    return c.json({ ...key, revokedAt: at }, 200);
  },
);

admin.openapi(
  createRoute({
    method: 'get', path: '/v1/admin/audit', summary: 'The append-only audit log, oldest first', security: bearer,
    request: { query: AuditQuery.extend({ subject: z.string().max(64).optional() }) },
    responses: { 200: json(AuditPage, 'A page of events'), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { after, limit, subject } = c.req.valid('query');
    const { events, more } = await readAudit(c.env.DB, { after, limit, subjectId: subject });
    return c.json({ events, more, next: events.at(-1)?.id ?? after }, 200);
  },
);

const IndicatorFlags = z
  .object({
    indicator: z.object({ id: z.string(), kind: IndicatorKind, value: z.string(), status: z.string() }),
    flags: z.array(z.object({
      id: z.string(), orgId: z.string(), orgName: z.string(), keyId: z.string(), target: z.string(), reason: Reason,
      note: z.string().nullable(), evidence: z.unknown(), live: z.boolean(), createdAt: z.string(),
    })),
  })
  .meta({ id: 'IndicatorFlags' });

admin.openapi(
  createRoute({
    method: 'get', path: '/v1/admin/flags', summary: 'Who flagged an indicator, with evidence (admins only)', security: bearer,
    request: { query: z.object({ target: Target, kind: IndicatorKind.optional() }) },
    responses: { 200: json(IndicatorFlags, 'The flags'), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const { target, kind } = c.req.valid('query');
    const [indicator] = parseTargets([{ target, kind }], () => 'target');
    const row = [...(await readIndicators(c.env.DB, [indicator!])).values()][0];
    if (!row) throw new ApiError(404, 'not_found', `${indicator!.kind}:${indicator!.value} has never been flagged.`);
    const flags = await readFlagsOfIndicator(c.env.DB, row.id);
    return c.json({ indicator: { id: row.id, kind: row.kind, value: row.value, status: row.status }, flags }, 200);
  },
);
