import { isDisputed, isOnList, REVIEW_MOVES, type Dispute, type DisputeCreated, type DisputeRequest } from '../../../shared';
import { auditStatement } from '../db/audit';
import { generateDisputeToken, hashDisputeToken, insertDisputeStatement, type NewDispute } from '../db/disputes';
import { newId } from '../db/rows';
import { ApiError } from '../errors';
import { config } from '../config';
import type { ListState } from './list-state';
import { parseTargets, protectedDomains } from './targets';
import { writeList } from './write';
import type { WriteCommand, WriteOutcome } from './write-commands';

const DAY = 86_400_000;

/**
 * Plans a public appeal: a listed indicator becomes disputed (still listed, marked so in every format) and the
 * dispute is recorded with its deadline; an indicator already disputed gets one more dispute on record. The
 * audit row names no actor: the disputer is not a member.
 */
export function planAppeal(state: ListState, { indicator, dispute }: Extract<WriteCommand, { type: 'appeal' }>): WriteOutcome {
  const before = state.row(indicator);
  if (!before || !isOnList(before.status)) {
    throw new ApiError(404, 'not_found', `${indicator.kind}:${indicator.value} is not on the list: there is nothing to contest.`);
  }
  let version: number | null = null;
  if (!isDisputed(before.status)) {
    const after = { ...before, status: REVIEW_MOVES.dispute.to, updatedAt: state.at };
    version = state.save(before, after);
  }
  state.push(
    insertDisputeStatement(state.db, before.id, dispute),
    auditStatement(
      state.db,
      {
        action: 'dispute.opened',
        actorOrgId: null,
        actorKeyId: null,
        subjectType: 'dispute',
        subjectId: dispute.id,
        fromStatus: before.status,
        toStatus: REVIEW_MOVES.dispute.to,
        reason: 'public appeal',
        details: { indicator, indicatorId: before.id, deadline: dispute.deadlineAt },
      },
      state.at,
    ),
  );
  const body: Dispute = {
    id: dispute.id,
    indicator,
    outcome: 'open',
    createdAt: dispute.createdAt,
    deadline: dispute.deadlineAt,
    resolvedAt: null,
    resolution: null,
  };
  return { ok: true, status: 201, body: { dispute: body, version } };
}

/** Opens a dispute for the API and the /appeal page alike: the token is made here and leaves only in the answer. */
export async function openDispute(env: Env, request: DisputeRequest, url: string): Promise<DisputeCreated> {
  const [indicator] = parseTargets([{ target: request.target }], () => 'target', protectedDomains(config(env).PROTECTED_DOMAINS, url));
  const token = generateDisputeToken();
  const createdAt = new Date().toISOString();
  const dispute: NewDispute = {
    id: newId('dsp'),
    tokenHash: await hashDisputeToken(token),
    contact: request.contact,
    statement: request.statement,
    createdAt,
    deadlineAt: new Date(Date.parse(createdAt) + config(env).DISPUTE_DEADLINE_DAYS * DAY).toISOString(),
  };
  const written = await writeList(env, { type: 'appeal', indicator: indicator!, dispute });
  return { dispute: (written.body as { dispute: Dispute }).dispute, token };
}
