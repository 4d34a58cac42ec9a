import { createRoute } from '@hono/zod-openapi';
import {
  AppealAnswerRequest,
  AppealAnswerResponse,
  DECIDING_ACTIONS,
  memberDisputeProposes,
  ReviewAction,
  ReviewQueue,
  ReviewQueueQuery,
  ReviewRequest,
  ReviewResponse,
} from '../../../shared';
import { answerAppeals } from '../services/appeal-answer';
import { newDispute } from '../services/appeal';
import { authenticate } from '../middleware/auth';
import { allow, ROUTE_ROLES, type KeyedOperation } from '../route-roles';
import { jsonBodyGuard } from '../middleware/json-body';
import { byOrg, rateLimit } from '../middleware/rate-limit';
import { bearer, errors, json, jsonBody, newApp } from '../openapi';
import { parseTargets, protectedTargets } from '../services/targets';
import { config } from '../config';
import { reviewQueue } from '../services/review-queue';
import { writeList } from '../services/write';

export const review = newApp();

const DESCRIPTIONS: Record<ReviewAction, string> = {
  confirm:
    'An operator reviewer lists an indicator (reported, disputed, delisted or never flagged) without waiting for consensus, or stands behind a listing (one about to expire stays); the listing then stands whatever the count.',
  reject: 'An operator reviewer rejects a reported indicator: it is delisted and the flags behind it are retired.',
  delist: 'An operator reviewer takes a listed or disputed indicator off the list; its flags are retired.',
  dispute:
    "A member analyst's dispute joins the indicator's case for the operator's reviewers and changes nothing partners see (one open dispute per organization). An operator reviewer's marks a listed indicator disputed for every partner until a reviewer confirms or delists it; it stays on the list, marked.",
};

for (const action of ReviewAction.options) {
  // Decisions for everyone belong to the operator's reviewers (the reviewer role exists only there).
  const { roles } = ROUTE_ROLES[`${action}Indicator`];
  const route = createRoute({
    method: 'post',
    path: `/v1/indicators/${action}`,
    operationId: `${action}Indicator`,
    summary: `${action[0]!.toUpperCase()}${action.slice(1)} an indicator`,
    description: `${DESCRIPTIONS[action]} The reason is kept in the audit log${DECIDING_ACTIONS.includes(action) ? "; the decision answers the indicator's open appeals with publicReason (or a neutral answer)" : ''}. Roles: ${roles.join(', ')}.`,
    security: bearer,
    middleware: [authenticate(), ...allow(`${action}Indicator` as KeyedOperation), rateLimit('FLAG_LIMIT', byOrg), jsonBodyGuard()] as const,
    request: jsonBody(ReviewRequest),
    responses: { 200: json(ReviewResponse, 'The indicator after the action'), ...errors(400, 401, 403, 404, 409, 415, 429) },
  });
  review.openapi(route, async (c) => {
    const { target, kind, reason, publicReason } = c.req.valid('json');
    const caller = c.get('caller');
    const [indicator] = parseTargets([{ target, kind }], () => 'target', protectedTargets(c.env, c.req.url));
    const memberDispute =
      action === 'dispute' && memberDisputeProposes(caller.operator)
        ? newDispute(c.env, indicator!, { contact: '', statement: reason, source: { orgId: caller.orgId, keyId: caller.keyId } })
        : undefined;
    const written = await writeList(c.env, { type: 'review', caller, action, indicator: indicator!, reason, publicReason, memberDispute });
    return c.json(written.body, 200);
  });
}

review.openapi(
  createRoute({
    method: 'get',
    path: '/v1/review/queue',
    operationId: 'getReviewQueue',
    summary: 'What waits for the operator’s reviewers',
    description:
      'Open cases (appeals and members’ disputes, with their statements) by deadline (overdue first), listings about to expire, and reports below the threshold, sorted before they are cut and paged (`offset`, `next`). Each with its evidence: reasons, signal types, the live flags’ evidence itself and notes (never which organization), how many organizations, first and last seen. Decide with POST /v1/indicators/{confirm|reject|delist}, a reason required. Role: reviewer (the operator’s).',
    security: bearer,
    middleware: [authenticate(), ...allow('getReviewQueue')] as const,
    request: { query: ReviewQueueQuery },
    responses: { 200: json(ReviewQueue, 'The queue'), ...errors(400, 401, 403) },
  }),
  async (c) => {
    const { limit, offset } = c.req.valid('query');
    return c.json({ ...(await reviewQueue(c.env, limit, offset)), threshold: config(c.env).LISTING_THRESHOLD }, 200);
  },
);

review.openapi(
  createRoute({
    method: 'post',
    path: '/v1/review/appeals/answer',
    operationId: 'answerAppeals',
    summary: 'Answer a target’s open appeals without changing the list',
    description:
      'An operator reviewer answers the case of a target (its open appeals and member disputes) with a public reason: `kept` when it is on the list, `removed` when it is not. To change the listing, decide with POST /v1/indicators/{confirm|reject|delist} and a publicReason instead. Role: reviewer (the operator’s).',
    security: bearer,
    middleware: [authenticate(), ...allow('answerAppeals'), jsonBodyGuard()] as const,
    request: jsonBody(AppealAnswerRequest),
    responses: { 200: json(AppealAnswerResponse, 'The case, answered'), ...errors(400, 401, 403, 404, 415) },
  }),
  async (c) => {
    const { target, kind, reason, publicReason } = c.req.valid('json');
    const [indicator] = parseTargets([{ target, kind }], () => 'target', protectedTargets(c.env, c.req.url));
    return c.json(await answerAppeals(c.env, c.get('caller'), indicator!, reason, publicReason), 200);
  },
);
