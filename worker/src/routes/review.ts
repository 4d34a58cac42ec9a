import { createRoute } from '@hono/zod-openapi';
import { z } from 'zod';
import { ReviewAction, ReviewRequest, ReviewResponse } from '../../../shared';
import { authenticate, requireRole } from '../middleware/auth';
import { jsonBodyGuard } from '../middleware/json-body';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { reviewIndicator } from '../services/review';

export const review = newApp();

const DESCRIPTIONS: Record<ReviewAction, string> = {
  confirm: 'A reviewer lists an indicator (reported, disputed, delisted or never flagged) without waiting for consensus.',
  reject: 'A reviewer rejects a reported indicator: it is delisted and the flags behind it are retired.',
  delist: 'A reviewer takes a listed or disputed indicator off the list; its flags are retired.',
  dispute: 'Marks a listed indicator as disputed until a reviewer confirms or delists it. It stays on the list, marked.',
};

for (const action of ReviewAction.options) {
  const roles = action === 'dispute' ? (['analyst', 'reviewer'] as const) : (['reviewer'] as const);
  const route = createRoute({
    method: 'post',
    path: `/v1/indicators/${action}`,
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} an indicator`,
    description: `${DESCRIPTIONS[action]} The reason is kept in the audit log. Roles: ${roles.join(', ')}.`,
    security: bearer,
    middleware: [authenticate(), requireRole(...roles), jsonBodyGuard()] as const,
    request: jsonBody(ReviewRequest),
    responses: { 200: json(ReviewResponse, 'The indicator after the action'), ...errors(400, 401, 403, 404, 409, 415) },
  });
  review.openapi(route, async (c) => {
    const { target, kind, reason } = c.req.valid('json');
    const result = await reviewIndicator(c.env.DB, { action, target, kind, reason, caller: c.get('caller') });
    return c.json(result satisfies z.infer<typeof ReviewResponse>, 200);
  });
}
