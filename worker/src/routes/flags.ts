import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { excerpt, FlagRequest, serviceKeysOf, FlagResponse, OwnFlagsPage, OwnFlagsQuery, WithdrawRequest, WithdrawResponse } from '../../../shared';
import { readFlagWithIndicator, readOwnFlags } from '../db/flags';
import { ApiError, errorBody, validationHook } from '../errors';
import { authenticate } from '../middleware/auth';
import { allow } from '../route-roles';
import { jsonBodyGuard } from '../middleware/json-body';
import { byOrg, rateLimit } from '../middleware/rate-limit';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { idempotencyClaim } from '../services/idempotency';
import { parseTargets, protectedTargets } from '../services/targets';
import { writeList } from '../services/write';

export const flags = newApp();

const postFlags = createRoute({
  method: 'post',
  path: '/v1/flags',
  operationId: 'flag',
  summary: 'Flag one indicator or a batch',
  description:
    'Each target is parsed into a canonical indicator; one live flag per organization and indicator. ' +
    'An indicator is listed once LISTING_THRESHOLD organizations flag it. Requires an Idempotency-Key header: ' +
    'a retried request (same key, same body in any key order) returns the first response and never flags twice. ' +
    'The whole batch is written or none of it. Consensus counts member organizations, one vote each however many keys they hold. ' +
    'A member organization has one budget over all its keys (FLAGS_PER_ORG_PER_HOUR flags, each item of a batch counted: 429 past it), and re-flags an indicator it withdrew only 24 hours after the withdrawal (422 cooling_down, Retry-After).',
  security: bearer,
  middleware: [authenticate(), ...allow('flag'), rateLimit('FLAG_LIMIT', byOrg), jsonBodyGuard()] as const,
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(255).meta({ description: 'A UUID per logical request.' }) }),
    ...jsonBody(FlagRequest),
  },
  responses: {
    201: json(FlagResponse, 'At least one new flag was recorded'),
    200: json(FlagResponse, 'Every target was already flagged by this organization'),
    ...errors(400, 401, 403, 413, 415, 422, 429),
  },
});

flags.openapi(
  postFlags,
  async (c) => {
    const body = c.req.valid('json');
    const caller = c.get('caller');
    const claim = idempotencyClaim(caller.orgId, c.req.header('idempotency-key'), body);
    const inputs = 'flags' in body ? body.flags : [body];
    const indicators = parseTargets(inputs, (i) => (inputs.length === 1 ? 'target' : `flags.${i}.target`), protectedTargets(c.env, c.req.url));
    const written = await writeList(c.env, {
      type: 'flag',
      caller,
      claim,
      inputs: inputs.map((input, i) => ({ ...input, indicator: indicators[i]!, serviceKeys: serviceKeysOf(indicators[i]!, input.evidence?.signals) })),
    });
    if (written.replayed) c.header('idempotent-replayed', 'true');
    return c.json(written.body, written.status);
  },
  (result, c) => {
    // The header is declared in the contract; its absence gets its own code, so clients know what to fix.
    if (!result.success && result.target === 'header') {
      return c.json(
        errorBody(c, 'idempotency_key_required', 'Send an Idempotency-Key header (a UUID per logical request, 1–255 characters) so retries never flag twice.'),
        400,
      );
    }
    return validationHook(result, c);
  },
);

const getOwnFlags = createRoute({
  method: 'get',
  path: '/v1/flags',
  operationId: 'listOwnFlags',
  summary: "This organization's flags, newest first, with each indicator's current status",
  security: bearer,
  middleware: [authenticate(), ...allow('listOwnFlags')] as const,
  request: { query: OwnFlagsQuery },
  responses: { 200: json(OwnFlagsPage, 'A page of flags'), ...errors(400, 401, 403) },
});

flags.openapi(getOwnFlags, async (c) => {
  const { before, limit } = c.req.valid('query');
  return c.json(await readOwnFlags(c.env.DB, c.get('caller').orgId, before ?? null, limit), 200);
});

const withdrawFlag = createRoute({
  method: 'post',
  path: '/v1/flags/{id}/withdraw',
  operationId: 'withdrawFlag',
  summary: "Withdraw one of your organization's flags made by mistake",
  description:
    'The flag stops counting and the indicator is counted again (a listing that rested on it may fall back to reported); the flag ' +
    "and its withdrawal stay in the audit log. An analyst or admin of the flag's own organization; other organizations' flags answer 404.",
  security: bearer,
  middleware: [authenticate(), ...allow('withdrawFlag'), jsonBodyGuard()] as const,
  request: { params: z.object({ id: z.string().min(1).max(64) }), ...jsonBody(WithdrawRequest) },
  responses: { 200: json(WithdrawResponse, 'The indicator after the recount'), ...errors(400, 401, 403, 404, 409, 415) },
});

flags.openapi(withdrawFlag, async (c) => {
  const caller = c.get('caller');
  const { id } = c.req.valid('param');
  const flag = await readFlagWithIndicator(c.env.DB, id);
  // Another organization's flag is not there as far as this caller can tell.
  if (!flag || flag.orgId !== caller.orgId) throw new ApiError(404, 'not_found', `No flag ${excerpt(id)} of your organization.`);
  const written = await writeList(c.env, {
    type: 'withdraw',
    caller,
    flagId: id,
    indicator: { kind: flag.kind, value: flag.value },
    reason: c.req.valid('json').reason,
  });
  return c.json(written.body, 200);
});
