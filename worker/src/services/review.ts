import { REVIEW_MOVES, tally } from '../../../shared';
import { auditStatement } from '../db/audit';
import { retireFlagsStatement } from '../db/flags';
import { newIndicatorRow, toSummary } from '../db/indicators';
import { ApiError } from '../errors';
import { closeDisputes } from './dispute-closure';
import type { ListState } from './list-state';
import type { WriteCommand, WriteOutcome } from './write-commands';

/** Plans one review decision (confirm, reject, delist, dispute) by the moves the list rules allow. */
export function planReview(state: ListState, { caller, action, indicator, reason }: Extract<WriteCommand, { type: 'review' }>): WriteOutcome {
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
  if (from) closeDisputes(state, after.id, from, move.to, reason);
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
