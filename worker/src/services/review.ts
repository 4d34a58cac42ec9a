import { DECIDING_ACTIONS, isOnList, REVIEW_MOVES, tally } from '../../../shared';
import { auditStatement } from '../db/audit';
import { retireFlagsStatement } from '../db/flags';
import { newIndicatorRow, toSummary } from '../db/indicators';
import { ApiError } from '../errors';
import { insertDisputeStatement } from '../db/disputes';
import { answerCase } from './dispute-closure';
import type { ListState } from './list-state';
import type { WriteCommand, WriteOutcome } from './write-commands';

type ReviewCommand = Extract<WriteCommand, { type: 'review' }>;

/**
 * A member analyst's dispute proposes: it joins the indicator's case for the operator's reviewers and changes
 * nothing partners see (one open dispute per organization and target; a second adds nothing).
 */
function planMemberDispute(state: ListState, { caller, indicator, reason, memberDispute }: ReviewCommand): WriteOutcome<'review'> {
  const before = state.row(indicator);
  if (!before || !isOnList(before.status) || !memberDispute) {
    throw new ApiError(409, 'invalid_transition', `${indicator.kind}:${indicator.value} is not on the list: there is nothing to dispute.`);
  }
  state.push(
    insertDisputeStatement(state.db, memberDispute),
    auditStatement(
      state.db,
      {
        action: 'dispute.opened',
        actorOrgId: caller.orgId,
        actorKeyId: caller.keyId,
        subjectType: 'dispute',
        subjectId: memberDispute.id,
        orgId: caller.orgId,
        reason,
        details: { indicator, indicatorId: before.id, deadline: memberDispute.deadlineAt },
      },
      state.at,
    ),
  );
  return { ok: true, status: 200, body: { indicator: toSummary(before), from: before.status, version: null } };
}

/** Plans one review decision (confirm, reject, delist, dispute) by the moves the list rules allow. */
export function planReview(state: ListState, command: ReviewCommand): WriteOutcome<'review'> {
  const { caller, action, indicator, reason, publicReason } = command;
  if (action === 'dispute' && !caller.operator) return planMemberDispute(state, command);
  const move = REVIEW_MOVES[action];
  const before = state.row(indicator);
  const from = before?.status ?? null;
  if (!move.from.includes(from)) {
    throw before
      ? new ApiError(
          409,
          'invalid_transition',
          `Cannot ${action} an indicator that is ${from}; allowed from: ${move.from.map((s) => s ?? 'never flagged').join(', ')}.`,
        )
      : new ApiError(404, 'not_found', `${indicator.kind}:${indicator.value} has never been flagged.`);
  }
  const base = before ?? newIndicatorRow(indicator, move.to);
  const flags = move.retiresFlags ? [] : state.flagsOf(base.id);
  const after = { ...base, ...tally(flags), status: move.to, confirmed: move.confirmed ?? base.confirmed, updatedAt: state.at };
  const version = state.save(before, after);
  state.setFlags(after.id, flags);
  if (move.retiresFlags) state.push(retireFlagsStatement(state.db, after.id));
  if (DECIDING_ACTIONS.includes(action)) answerCase(state, indicator, move.to, publicReason);
  state.push(
    auditStatement(
      state.db,
      {
        action: `indicator.${action}`,
        actorOrgId: caller.orgId,
        actorKeyId: caller.keyId,
        subjectType: 'indicator',
        subjectId: after.id,
        fromStatus: from,
        toStatus: move.to,
        reason,
        details: { indicator },
      },
      state.at,
    ),
  );
  return {
    ok: true,
    status: 200,
    body: {
      indicator: toSummary(after),
      from: from ?? 'unknown',
      version,
    },
  };
}
