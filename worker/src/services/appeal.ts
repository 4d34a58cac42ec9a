import { MAX_OPEN_DISPUTES_PER_TARGET, type DisputeCreated, type DisputeRequest, type Indicator } from '../../../shared';
import { auditStatement } from '../db/audit';
import { countOpenDisputes, generateDisputeToken, hashDisputeToken, insertDisputeStatement, type NewDispute } from '../db/disputes';
import { newId } from '../db/rows';
import { ApiError } from '../errors';
import { config } from '../config';
import { parseTargets, protectedTargets } from './targets';

const DAY = 86_400_000;

/** A dispute of a target, due by the deadline the deployment gives reviewers. */
export function newDispute(env: Env, indicator: Indicator, fields: Pick<NewDispute, 'contact' | 'statement' | 'tokenHash' | 'source'>): NewDispute {
  const createdAt = new Date().toISOString();
  const deadlineAt = new Date(Date.parse(createdAt) + config(env).DISPUTE_DEADLINE_DAYS * DAY).toISOString();
  return { id: newId('dsp'), indicator, createdAt, deadlineAt, ...fields };
}

/**
 * A public appeal, for the API and the /appeal page alike. It opens or joins the target's case and changes
 * nothing partners see: an operator reviewer decides. It is recorded whether or not the target is listed, and the
 * answer is the same either way, so an appeal never tells anyone what is on the list. The token is made here and
 * leaves only in the answer; the audit row names no actor (the appellant is not a member).
 */
export async function openDispute(env: Env, request: DisputeRequest, url: string): Promise<DisputeCreated> {
  const [indicator] = parseTargets([{ target: request.target }], () => 'target', protectedTargets(env, url));
  if ((await countOpenDisputes(env.DB, indicator!)) >= MAX_OPEN_DISPUTES_PER_TARGET) {
    throw new ApiError(429, 'rate_limited', 'This target already has many open appeals; the reviewers answer them all at once. Try again after their answer.');
  }
  const token = generateDisputeToken();
  const dispute = newDispute(env, indicator!, { contact: request.contact, statement: request.statement, tokenHash: await hashDisputeToken(token) });
  await env.DB.batch([
    insertDisputeStatement(env.DB, dispute),
    auditStatement(env.DB, {
      action: 'dispute.opened',
      actorOrgId: null,
      actorKeyId: null,
      subjectType: 'dispute',
      subjectId: dispute.id,
      reason: 'public appeal',
      details: { indicator: dispute.indicator, deadline: dispute.deadlineAt },
    }),
  ]);
  return {
    dispute: {
      id: dispute.id,
      indicator: dispute.indicator,
      outcome: 'open',
      createdAt: dispute.createdAt,
      deadline: dispute.deadlineAt,
      resolvedAt: null,
      resolution: null,
    },
    token,
  };
}
