import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { FlagRequest, FlagResponse, OwnFlagsPage, OwnFlagsQuery } from '../../../shared';
import { readOwnFlags } from '../db/flags';
import { errorBody, validationHook } from '../errors';
import { authenticate, requireRole } from '../middleware/auth';
import { idempotency } from '../middleware/idempotency';
import { jsonBodyGuard } from '../middleware/json-body';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { submitFlags } from '../services/flagging';

export const flags = newApp();

const postFlags = createRoute({
  method: 'post',
  path: '/v1/flags',
  summary: 'Flag one indicator or a batch',
  description:
    'Each target is parsed into a canonical indicator; one live flag per organization and indicator. ' +
    'An indicator is listed once LISTING_THRESHOLD organizations flag it. Requires an Idempotency-Key header: ' +
    'a retried request returns the first response and never flags twice. The whole batch is written or none of it.',
  security: bearer,
  middleware: [authenticate(), requireRole('analyst', 'reviewer'), jsonBodyGuard()] as const,
  request: {
    headers: z.object({ 'idempotency-key': z.string().min(1).max(255).meta({ description: 'A UUID per logical request.' }) }),
    ...jsonBody(FlagRequest),
  },
  responses: {
    201: json(FlagResponse, 'At least one new flag was recorded'),
    200: json(FlagResponse, 'Every target was already flagged by this organization'),
    ...errors(400, 401, 403, 409, 413, 415, 422),
  },
});

flags.openapi(postFlags, async (c) => {
  const claim = await idempotency(c);
  if (claim instanceof Response) return claim as never;
  const body = c.req.valid('json');
  const inputs = 'flags' in body ? body.flags : [body];
  const statusOf = (results: { outcome: string }[]) => (results.some((r) => r.outcome === 'accepted') ? 201 : 200);
  try {
    const result = await submitFlags(c.env.DB, {
      inputs,
      caller: c.get('caller'),
      threshold: Math.max(1, Number(c.env.LISTING_THRESHOLD) || 2),
      remember: (response) => [claim.record(statusOf(response.results), response)],
    });
    return c.json(result, statusOf(result.results));
  } catch (error) {
    // A concurrent request with the same key won the race: answer with its stored response.
    if (String(error).includes('idempotency')) return (await idempotency(c)) as never;
    throw error;
  }
}, (result, c) => {
  // The header is declared in the contract; its absence gets its own code, so clients know what to fix.
  if (!result.success && result.target === 'header') {
    return c.json(errorBody(c, 'idempotency_key_required', 'Send an Idempotency-Key header (a UUID per logical request, 1–255 characters) so retries never flag twice.'), 400);
  }
  return validationHook(result, c);
});

const getOwnFlags = createRoute({
  method: 'get',
  path: '/v1/flags',
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
