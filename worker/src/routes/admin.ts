import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  ApiKeyInfo,
  AuditPage,
  AuditQuery,
  CreatedKey,
  CreateKeyRequest,
  IndicatorFlags,
  CreateOrgRequest,
  IndicatorKind,
  KeyList,
  Org,
  OrgFigures,
  OrgList,
  OrgStatusChange,
  Target,
} from '../../../shared';
import { readAudit } from '../db/audit';
import { readFlagsOfIndicator } from '../db/flags';
import { readIndicators } from '../db/indicators';
import { listKeys } from '../db/keys';
import { listOrgs, readOrgFigures } from '../db/orgs';
import { ApiError } from '../errors';
import { authenticate } from '../middleware/auth';
import { allow } from '../route-roles';
import { auditCsv, auditNdjson } from '../services/audit-export';
import { jsonBodyGuard } from '../middleware/json-body';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { createKey, createOrg, orgInReach, revokeKey } from '../services/admin';
import { parseTargets } from '../services/targets';
import { writeList } from '../services/write';

export const admin = newApp();
// Each operation's roles are its own (`allow`, from route-roles.ts); every admin route needs a key first.
admin.on(['GET', 'POST'], '/v1/admin/*', authenticate());

const OrgParams = z.object({ id: z.string().min(1).max(64) });
const OPERATOR = 'Operator admins only.';
const OWN_OR_OPERATOR = "A member's admin reaches its own organization only (others answer 404); operator admins reach every organization.";

admin.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/orgs',
    operationId: 'createOrg',
    summary: 'Create a member organization',
    description: OPERATOR,
    security: bearer,
    middleware: [...allow('createOrg'), jsonBodyGuard()] as const,
    request: jsonBody(CreateOrgRequest),
    responses: { 201: json(Org, 'The organization'), ...errors(400, 401, 403, 409, 415, 422) },
  }),
  async (c) => c.json(await createOrg(c.env.DB, c.get('caller'), c.req.valid('json')), 201),
);

admin.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/orgs',
    operationId: 'listOrgs',
    summary: 'List organizations',
    description: OPERATOR,
    security: bearer,
    middleware: [...allow('listOrgs')] as const,
    responses: { 200: json(OrgList, 'All organizations'), ...errors(401, 403) },
  }),
  async (c) => c.json({ orgs: await listOrgs(c.env.DB) }, 200),
);

for (const suspend of [true, false]) {
  admin.openapi(
    createRoute({
      method: 'post',
      path: `/v1/admin/orgs/{id}/${suspend ? 'suspend' : 'reinstate'}`,
      operationId: suspend ? 'suspendOrg' : 'reinstateOrg',
      security: bearer,
      summary: suspend ? 'Suspend an organization' : 'Reinstate a suspended organization',
      description: `${OPERATOR} ${
        suspend
          ? 'Its keys stop working at once and its live flags stop counting; every indicator they held up is counted again (changes reach the feed).'
          : 'Its keys work again and its live flags count again; the indicators they hold up are counted again.'
      }`,
      middleware: [...allow(suspend ? 'suspendOrg' : 'reinstateOrg')] as const,
      request: { params: OrgParams },
      responses: { 200: json(OrgStatusChange, 'The organization after the change'), ...errors(401, 403, 404, 409) },
    }),
    async (c) => {
      const written = await writeList(c.env, { type: 'org-status', caller: c.get('caller'), orgId: c.req.valid('param').id, suspend });
      return c.json(written.body, 200);
    },
  );
}

admin.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/orgs/{id}/keys',
    operationId: 'createKey',
    summary: 'Create an API key for an organization',
    description: `The key is in the response once and never again: only its hash is stored. ${OWN_OR_OPERATOR} The reviewer role exists only in the operator organization (422 role_not_allowed).`,
    security: bearer,
    middleware: [...allow('createKey'), jsonBodyGuard()] as const,
    request: { params: OrgParams, ...jsonBody(CreateKeyRequest) },
    responses: { 201: json(CreatedKey, 'The key, shown once'), ...errors(400, 401, 403, 404, 415, 422) },
  }),
  async (c) => {
    const { role, label } = c.req.valid('json');
    // The secret is in this answer once: no cache may keep it.
    return c.json(await createKey(c.env.DB, c.get('caller'), c.req.valid('param').id, role, label), 201, { 'cache-control': 'no-store' });
  },
);

admin.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/orgs/{id}/keys',
    operationId: 'listKeys',
    summary: "An organization's keys (never the secrets)",
    description: OWN_OR_OPERATOR,
    security: bearer,
    middleware: [...allow('listKeys')] as const,
    request: { params: OrgParams },
    responses: { 200: json(KeyList, 'The keys'), ...errors(401, 403, 404) },
  }),
  async (c) => {
    const org = await orgInReach(c.env.DB, c.get('caller'), c.req.valid('param').id);
    return c.json({ keys: await listKeys(c.env.DB, org.id) }, 200);
  },
);

admin.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/orgs/{id}/figures',
    operationId: 'getOrgFigures',
    summary: "An organization's flags by what became of them",
    description: `Listed, disputed, pending, rejected, withdrawn and expired, and the share of decided flags the list stands behind. ${OWN_OR_OPERATOR}`,
    security: bearer,
    middleware: [...allow('getOrgFigures')] as const,
    request: { params: OrgParams },
    responses: { 200: json(OrgFigures, 'The figures'), ...errors(401, 403, 404) },
  }),
  async (c) => {
    const org = await orgInReach(c.env.DB, c.get('caller'), c.req.valid('param').id);
    const flags = await readOrgFigures(c.env.DB, org.id);
    const decided = flags.listed + flags.disputed + flags.rejected;
    return c.json({ orgId: org.id, flags, confirmedShare: decided ? (flags.listed + flags.disputed) / decided : null }, 200);
  },
);

admin.openapi(
  createRoute({
    method: 'post',
    path: '/v1/admin/keys/{id}/revoke',
    operationId: 'revokeKey',
    summary: 'Revoke an API key at once',
    description: OWN_OR_OPERATOR,
    security: bearer,
    middleware: [...allow('revokeKey')] as const,
    request: { params: OrgParams },
    responses: { 200: json(ApiKeyInfo, 'The revoked key'), ...errors(401, 403, 404, 409) },
  }),
  async (c) => c.json(await revokeKey(c.env.DB, c.get('caller'), c.req.valid('param').id), 200),
);

admin.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/audit',
    operationId: 'readAudit',
    summary: 'The append-only audit log, oldest first; filter it, export it as CSV or NDJSON',
    security: bearer,
    description:
      "Operator admins read every row (or one organization's with org=); a member's admin reads the rows its organization acted in or that concern it, whatever org= says. " +
      'Filters: from, to (ISO 8601), action (one, or a family ending in a dot), subject. format=csv or ndjson exports the same page; the next page starts after the Flagline-Next header while Flagline-More is true.',
    middleware: [...allow('readAudit')] as const,
    request: { query: AuditQuery.extend({ subject: z.string().max(64).optional() }) },
    responses: {
      200: {
        description: 'A page of events',
        content: { 'application/json': { schema: AuditPage }, 'text/csv': { schema: z.string() }, 'application/x-ndjson': { schema: z.string() } },
      },
      ...errors(400, 401, 403),
    },
  }),
  async (c) => {
    const { after, limit, subject, from, to, action, org, format } = c.req.valid('query');
    const caller = c.get('caller');
    const { events, more } = await readAudit(c.env.DB, {
      after,
      limit,
      subjectId: subject,
      orgId: caller.operator ? (org ?? null) : caller.orgId,
      from: from ? new Date(from).toISOString() : undefined,
      to: to ? new Date(to).toISOString() : undefined,
      action,
    });
    const next = events.at(-1)?.id ?? after;
    if (format === 'json') return c.json({ events, more, next }, 200);
    const paging = { 'flagline-next': String(next), 'flagline-more': String(more), 'cache-control': 'no-store' };
    if (format === 'csv') {
      return c.body(auditCsv(events), 200, {
        ...paging,
        'content-type': 'text/csv; charset=utf-8',
        'content-disposition': `attachment; filename="flagline-audit-after-${after}.csv"`,
      }) as never;
    }
    return c.body(auditNdjson(events), 200, { ...paging, 'content-type': 'application/x-ndjson' }) as never;
  },
);

admin.openapi(
  createRoute({
    method: 'get',
    path: '/v1/admin/flags',
    operationId: 'readIndicatorFlags',
    summary: 'Who flagged an indicator, with evidence (admins only)',
    security: bearer,
    description: "Operator admins see every organization's flags; a member's admin sees its own organization's flags only (404 when it has none).",
    middleware: [...allow('readIndicatorFlags')] as const,
    request: { query: z.object({ target: Target, kind: IndicatorKind.optional() }) },
    responses: { 200: json(IndicatorFlags, 'The flags'), ...errors(400, 401, 403, 404) },
  }),
  async (c) => {
    const { target, kind } = c.req.valid('query');
    const caller = c.get('caller');
    const [indicator] = parseTargets([{ target, kind }], () => 'target');
    const row = (await readIndicators(c.env.DB, [indicator!])).values().next().value;
    const flags = row ? await readFlagsOfIndicator(c.env.DB, row.id, caller.operator ? null : caller.orgId) : [];
    // A member's admin must not learn that others flagged it: no flags of its own reads as never flagged.
    if (!row || (!caller.operator && flags.length === 0))
      throw new ApiError(404, 'not_found', `${indicator!.kind}:${indicator!.value} has never been flagged by your organization.`);
    return c.json({ indicator: { id: row.id, kind: row.kind, value: row.value, status: row.status }, flags }, 200);
  },
);
