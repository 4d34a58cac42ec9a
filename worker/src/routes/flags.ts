import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { FlagRequest, FlagResponse, OwnFlagsPage, OwnFlagsQuery } from '../../../shared';
import { readOwnFlags } from '../db/flags';
import { errorBody, validationHook } from '../errors';
import { authenticate, requireRole } from '../middleware/auth';
import { jsonBodyGuard } from '../middleware/json-body';
import { byKey, rateLimit } from '../middleware/rate-limit';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { idempotencyClaim } from '../services/idempotency';
import { parseTargets } from '../services/targets';
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
    'The whole batch is written or none of it. Consensus counts member organizations, one vote each however many keys they hold.',
  security: bearer,
  middleware: [authenticate(), requireRole('analyst', 'reviewer'), rateLimit('FLAG_LIMIT', byKey), jsonBodyGuard()] as const,
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
    const indicators = parseTargets(inputs, (i) => (inputs.length === 1 ? 'target' : `flags.${i}.target`));
    const written = await writeList(c.env, {
      type: 'flag',
      caller,
      claim,
      inputs: inputs.map((input, i) => ({ ...input, indicator: indicators[i]! })),
    });
    if (written.replayed) c.header('idempotent-replayed', 'true');
    return c.json(written.body as FlagResponse, written.status);
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
  middleware: [authenticate(), requireRole('analyst', 'reviewer')] as const,
  request: { query: OwnFlagsQuery },
  responses: { 200: json(OwnFlagsPage, 'A page of flags'), ...errors(400, 401, 403) },
});

flags.openapi(getOwnFlags, async (c) => {
  const { before, limit } = c.req.valid('query');
  return c.json(await readOwnFlags(c.env.DB, c.get('caller').orgId, before ?? null, limit), 200);
});
