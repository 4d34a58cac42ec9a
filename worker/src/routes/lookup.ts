import { createRoute } from '@hono/zod-openapi';
import { LookupQuery, LookupRequest, LookupResponse, LookupResult } from '../../../shared';
import { authenticate } from '../middleware/auth';
import { allow } from '../route-roles';
import { byKey, rateLimit } from '../middleware/rate-limit';
import { jsonBodyGuard } from '../middleware/json-body';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { lookupInputs } from '../services/lookup';

export const lookup = newApp();

const getLookup = createRoute({
  method: 'get',
  path: '/v1/lookup',
  operationId: 'lookUp',
  summary: 'Look up one input',
  description: 'Parses the input and returns its status, reasons and number of organizations, never which organizations.',
  security: bearer,
  middleware: [authenticate(), ...allow('lookUp'), rateLimit('LOOKUP_LIMIT', byKey)] as const,
  request: { query: LookupQuery },
  responses: { 200: json(LookupResult, 'The result for the input'), ...errors(400, 401, 403, 429) },
});

lookup.openapi(getLookup, async (c) => {
  const [result] = await lookupInputs(c.env.DB, [c.req.valid('query').q]);
  return c.json(result!, 200);
});

const postLookup = createRoute({
  method: 'post',
  path: '/v1/lookup',
  operationId: 'lookUpMany',
  summary: 'Look up up to 10,000 inputs',
  description: 'One result per input, in order; an input that does not parse gets its error and status unknown.',
  security: bearer,
  middleware: [authenticate(), ...allow('lookUpMany'), rateLimit('LOOKUP_LIMIT', byKey), jsonBodyGuard({ maxBytes: 4 * 1024 * 1024 })] as const,
  request: jsonBody(LookupRequest),
  responses: { 200: json(LookupResponse, 'One result per input'), ...errors(400, 401, 403, 413, 415, 429) },
});

lookup.openapi(postLookup, async (c) => {
  return c.json({ results: await lookupInputs(c.env.DB, c.req.valid('json').inputs) }, 200);
});
