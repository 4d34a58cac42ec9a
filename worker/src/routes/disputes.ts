import { createRoute } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { csrf } from 'hono/csrf';
import { HTTPException } from 'hono/http-exception';
import { Dispute, DisputeCreated, DisputeRequest, DisputeStatusRequest } from '../../../shared';
import { readDisputeByToken } from '../db/disputes';
import { ApiError } from '../errors';
import { jsonBodyGuard } from '../middleware/json-body';
import { byClient, overLimit, rateLimit } from '../middleware/rate-limit';
import { errors, json, jsonBody, newApp } from '../openapi';
import { APPEAL_CSP, renderAppealForm, renderAppealSent, renderStatus, renderStatusForm, type AppealForm } from '../pages/appeal';
import { openDispute } from '../services/appeal';
import type { AppEnv } from '../types';

/*
 * One appeal for all partners: whoever runs a listed site, app or handle contests it here, through the API or
 * the /appeal page (plain HTML forms). Public, so counted per client address and size-capped.
 */
export const disputes = newApp();
const NO_STORE = { 'cache-control': 'no-store' };
const MAX_BODY = 16 * 1024;

disputes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/disputes',
    operationId: 'openDispute',
    security: [], // public: the disputer is not a member
    summary: 'Contest a listing (public)',
    description:
      'Whoever runs a listed site, app or handle explains why the listing is wrong. The appeal opens (or joins) the target’s case for the operator’s reviewers and changes nothing partners see until a reviewer decides; a delisting then reaches every partner through the delta feed. The answer is the same whether or not the target is listed, and carries a token, shown once, that reads this dispute and nothing else. Five a minute per client address (IPv6 by /64); at most 50 open appeals per target (429 past that).',
    middleware: [rateLimit('DISPUTE_LIMIT', byClient), jsonBodyGuard({ maxBytes: MAX_BODY })] as const,
    request: jsonBody(DisputeRequest),
    responses: { 201: json(DisputeCreated, 'The dispute, and its token'), ...errors(400, 404, 413, 415, 422, 429) },
  }),
  async (c) => c.json(await openDispute(c.env, c.req.valid('json'), c.req.url), 201, NO_STORE),
);

disputes.openapi(
  createRoute({
    method: 'post',
    path: '/v1/disputes/status',
    operationId: 'getDisputeStatus',
    security: [],
    summary: 'Read a dispute by its token (public)',
    description: 'The token answers for its own dispute only: outcome, deadline and, once decided, the public reason the reviewer wrote for appellants.',
    middleware: [rateLimit('PUBLIC_LIMIT', byClient), jsonBodyGuard({ maxBytes: MAX_BODY })] as const,
    request: jsonBody(DisputeStatusRequest),
    responses: { 200: json(Dispute, 'The dispute'), ...errors(400, 404, 415, 429) },
  }),
  async (c) => {
    const dispute = await readDisputeByToken(c.env.DB, c.req.valid('json').token);
    if (!dispute) throw new ApiError(404, 'not_found', 'No dispute has that token.');
    return c.json(dispute, 200, NO_STORE);
  },
);

/** A form post's fields (urlencoded, capped like the API's bodies), or the status that refuses it. */
async function formFields(c: Context<AppEnv>): Promise<Record<string, string> | 413 | 415> {
  if (!/^application\/x-www-form-urlencoded\b/i.test(c.req.header('content-type') ?? '')) return 415;
  const bytes = await c.req.arrayBuffer();
  if (bytes.byteLength > MAX_BODY) return 413;
  return Object.fromEntries(new URLSearchParams(new TextDecoder().decode(bytes)));
}

const html = (c: Context<AppEnv>, body: string, status: 200 | 201 | 400 | 403 | 404 | 413 | 415 | 429 = 200) => {
  c.header('Content-Security-Policy', APPEAL_CSP);
  c.header('Cache-Control', 'no-store');
  return c.html(body, status);
};

const problem = (error: unknown) => {
  if (error instanceof ApiError && error.status < 500) {
    const detail = error.fields?.map((f) => `${f.path || 'form'}: ${f.message}`).join('; ');
    return { status: error.status as 400 | 404 | 413 | 429, message: detail ? `${error.message} ${detail}` : error.message };
  }
  throw error;
};

/**
 * The appeal forms take posts from their own pages only (Hono's CSRF check: Origin or Sec-Fetch-Site of this
 * site), so a listed site cannot make its visitors' browsers file appeals for it.
 */
const sameSiteForms = csrf();
const ownPagesOnly = (page: () => string): MiddlewareHandler<AppEnv> =>
  async function ownPagesOnly(c, next) {
    try {
      await sameSiteForms(c, next);
    } catch (error) {
      if (error instanceof HTTPException && error.status === 403) return html(c, page(), 403);
      throw error;
    }
  };

disputes.get('/appeal', (c) => html(c, renderAppealForm()));
disputes.post(
  '/appeal',
  ownPagesOnly(() => renderAppealForm({}, 'Send the appeal from this page: posts from other sites are refused.')),
  async (c) => {
    const limited = await overLimit(c, 'DISPUTE_LIMIT', byClient);
    if (limited) return html(c, renderAppealForm({}, limited.message), 429);
    const fields = await formFields(c);
    if (typeof fields === 'number') return html(c, renderAppealForm({}, 'Send the form as this page does (a web form, at most 16 KB).'), fields);
    const form: AppealForm = { target: fields.target, contact: fields.contact, statement: fields.statement };
    const parsed = DisputeRequest.safeParse(form);
    if (!parsed.success) {
      const message = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
      return html(c, renderAppealForm(form, message), 400);
    }
    try {
      return html(c, renderAppealSent(await openDispute(c.env, parsed.data, c.req.url)), 201);
    } catch (error) {
      const { status, message } = problem(error);
      return html(c, renderAppealForm(form, message), status);
    }
  },
);

disputes.get('/appeal/status', (c) => html(c, renderStatusForm()));
disputes.post(
  '/appeal/status',
  ownPagesOnly(() => renderStatusForm('Read the status from this page: posts from other sites are refused.')),
  async (c) => {
    const limited = await overLimit(c, 'PUBLIC_LIMIT', byClient);
    if (limited) return html(c, renderStatusForm(limited.message), 429);
    const fields = await formFields(c);
    const parsed = DisputeStatusRequest.safeParse({ token: typeof fields === 'number' ? '' : (fields.token ?? '') });
    const dispute = parsed.success ? await readDisputeByToken(c.env.DB, parsed.data.token) : null;
    return dispute ? html(c, renderStatus(dispute)) : html(c, renderStatusForm('No dispute has that token.'), 404);
  },
);
