import { isDisputed, isOnList, type Status } from '../../../shared';
import { resolveDisputesStatement } from '../db/disputes';
import type { ListState } from './list-state';

/**
 * An indicator that moves out of `disputed` answers its open disputes in the same batch: kept when it stays
 * on the list (a reviewer confirmed it), removed when it leaves (delisted, its flags withdrawn, its
 * organization suspended, expired), with the reason the disputer will read.
 */
export function closeDisputes(state: ListState, indicatorId: string, before: Status, after: Status, why: string): void {
  if (isDisputed(before) && !isDisputed(after))
    state.push(resolveDisputesStatement(state.db, indicatorId, isOnList(after) ? 'kept' : 'removed', why, state.at));
}
