import { statusAfterCount, tally } from '../../../shared';
import { auditStatement } from '../db/audit';
import { withdrawFlagStatement } from '../db/flags';
import { toSummary } from '../db/indicators';
import { ApiError } from '../errors';
import type { ListState } from './list-state';
import type { WriteCommand, WriteOutcome } from './write-commands';

/**
 * An organization takes back its own flag made by mistake: the flag is retired (kept on record), the
 * indicator counted again by the list rules, and both the withdrawal and any move of status audited.
 */
export function planWithdraw(
  state: ListState,
  { caller, flagId, indicator, reason }: Extract<WriteCommand, { type: 'withdraw' }>,
  threshold: number,
): WriteOutcome<'withdraw'> {
  const before = state.row(indicator);
  const flags = before ? state.flagsOf(before.id) : [];
  if (!before || !flags.some((f) => f.id === flagId)) {
    throw new ApiError(409, 'invalid_transition', `Flag ${flagId} no longer counts (withdrawn, or retired by a reviewer).`);
  }
  const remaining = flags.filter((f) => f.id !== flagId);
  const counted = tally(remaining);
  const after = { ...before, ...counted, status: statusAfterCount(before.status, before.confirmed, counted.orgCount, threshold), updatedAt: state.at };
  state.save(before, after);
  state.setFlags(before.id, remaining);
  state.withdrew(caller.orgId, before.id);
  state.push(
    withdrawFlagStatement(state.db, flagId, state.at),
    auditStatement(
      state.db,
      {
        action: 'flag.withdrawn',
        actorOrgId: caller.orgId,
        actorKeyId: caller.keyId,
        subjectType: 'flag',
        subjectId: flagId,
        orgId: caller.orgId,
        reason,
        details: { indicator },
      },
      state.at,
    ),
    ...(after.status !== before.status
      ? [
          auditStatement(
            state.db,
            {
              action: 'indicator.recounted',
              actorOrgId: caller.orgId,
              actorKeyId: caller.keyId,
              subjectType: 'indicator',
              subjectId: before.id,
              fromStatus: before.status,
              toStatus: after.status,
              reason: `flag.withdrawn: ${reason}`,
              details: { indicator, orgCount: after.orgCount, threshold },
            },
            state.at,
          ),
        ]
      : []),
  );
  return {
    ok: true,
    status: 200,
    body: { flagId, indicator: toSummary(after) },
  };
}
