import { statusAfterCount, tally, type Indicator } from '../../../shared';
import { auditStatement } from '../db/audit';
import type { Caller } from '../types';
import type { ListState } from './list-state';

/**
 * Counts an indicator's live flags again (after a suspension or reinstatement changed which of them count)
 * and saves the result by the list rules, with an audit row when its status moves. Returns whether it changed.
 */
export function recount(state: ListState, indicator: Indicator, threshold: number, cause: { caller: Caller; reason: string }): boolean {
  const before = state.row(indicator);
  if (!before) return false;
  const counted = tally(state.flagsOf(before.id));
  const status = statusAfterCount(before.status, before.confirmed, counted.orgCount, threshold);
  if (status === before.status && counted.orgCount === before.orgCount && counted.reasons.join() === before.reasons.join()) return false;
  state.save(before, { ...before, ...counted, status, updatedAt: state.at });
  if (status !== before.status) {
    state.push(
      auditStatement(
        state.db,
        {
          action: 'indicator.recounted',
          actorOrgId: cause.caller.orgId,
          actorKeyId: cause.caller.keyId,
          subjectType: 'indicator',
          subjectId: before.id,
          fromStatus: before.status,
          toStatus: status,
          reason: cause.reason,
          details: { indicator, orgCount: counted.orgCount, threshold },
        },
        state.at,
      ),
    );
  }
  return true;
}
