import { createRoute, z } from '@hono/zod-openapi';
import {
  MergeServicesRequest,
  RenameServiceRequest,
  ServiceChangeResponse,
  ServiceId,
  ServiceResponse,
  ServiceReviewRequest,
  ServiceReviewResponse,
  SplitServiceRequest,
} from '../../../shared';
import { authenticate } from '../middleware/auth';
import { allow, type KeyedOperation } from '../route-roles';
import { jsonBodyGuard } from '../middleware/json-body';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { parseTargets, protectedTargets } from '../services/targets';
import { viewService } from '../services/service-view';
import { writeList } from '../services/write';
import type { ServiceChange } from '../services/write-commands';

export const services = newApp();

const params = z.object({ id: ServiceId });

services.openapi(
  createRoute({
    method: 'get',
    path: '/v1/services/{id}',
    operationId: 'getService',
    summary: 'A service and everything listed about it',
    description:
      'A service groups the indicators of one nudify brand (domains and mirrors, apps, merchant ids, handles, wallets). ' +
      'Answers its name and its indicators on the list; a service merged into another answers as that one (see `id`); a proposed service with nothing on the list answers 404. ' +
      'The operator’s reviewers also get every member (reported ones too) with its organizations counted and its evidence summarized, and `seen`, which a whole-service decision sends back. Any key.',
    security: bearer,
    middleware: [authenticate(), ...allow('getService')] as const,
    request: { params },
    responses: { 200: json(ServiceResponse, 'The service'), ...errors(400, 401, 403, 404) },
  }),
  async (c) => c.json(await viewService(c.env.DB, c.req.valid('param').id, c.get('caller')), 200),
);

const decisions = {
  rename: {
    body: RenameServiceRequest,
    response: ServiceChangeResponse,
    summary: 'Name a service',
    description: 'Names a service (a proposed one becomes named).',
  },
  merge: {
    body: MergeServicesRequest,
    response: ServiceChangeResponse,
    summary: 'Fold services into this one',
    description:
      'Moves every indicator and identifier of the `from` services into this one; each on-list indicator that moves is a change in the delta feed. The merged services answer as this one from then on.',
  },
  split: {
    body: SplitServiceRequest,
    response: ServiceChangeResponse,
    summary: 'Move some indicators to a new service',
    description: 'Moves the named indicators, with the identifiers they are, to a new named service (another brand that shared an identifier).',
  },
  review: {
    body: ServiceReviewRequest,
    response: ServiceReviewResponse,
    summary: 'List or delist a whole service',
    description:
      'One decision for every indicator of the service, exactly as the reviewer saw them: send `seen` from GET /v1/services/{id}; if a member joined, left or changed status since, the decision is refused (409 conflict) and nothing moves. Confirm lists its reports and stands behind its listings; delist takes its listings off the list and rejects its reports. Delisted members are left as they are. Each move is audited with the reason.',
  },
} as const;

for (const [op, spec] of Object.entries(decisions) as [keyof typeof decisions, (typeof decisions)[keyof typeof decisions]][]) {
  const route = createRoute({
    method: 'post',
    path: `/v1/services/{id}/${op}`,
    operationId: `${op}Service`,
    summary: spec.summary,
    description: `${spec.description} The reason is kept in the audit log. Role: reviewer (the operator's).`,
    security: bearer,
    middleware: [authenticate(), ...allow(`${op}Service` as KeyedOperation), jsonBodyGuard()] as const,
    request: { params, ...jsonBody(spec.body as z.ZodType<unknown>) },
    responses: { 200: json(spec.response as z.ZodType<unknown>, 'The service after the decision'), ...errors(400, 401, 403, 404, 409, 415, 422) },
  });
  services.openapi(route, async (c) => {
    const body = c.req.valid('json') as Record<string, unknown>;
    const change = (
      op === 'split'
        ? {
            op,
            name: body.name,
            reason: body.reason,
            indicators: parseTargets(
              (body.indicators as string[]).map((target) => ({ target })),
              (i) => `indicators.${i}`,
              protectedTargets(c.env, c.req.url),
            ),
          }
        : { op, ...body }
    ) as ServiceChange;
    const written = await writeList(c.env, { type: 'service', caller: c.get('caller'), serviceId: c.req.valid('param').id, change });
    return c.json(written.body as Record<string, unknown>, 200);
  });
}
