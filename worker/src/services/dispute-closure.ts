import { isDisputed, isOnList, type Status } from '../../../shared';
import { resolveDisputesStatement } from '../db/disputes';
import type { ListState } from './list-state';

/**
 * A disputed listing that leaves the list without a reviewer's decision (its flags withdrawn, their
 * organization suspended, or it expired) answers its open disputes too: the disputer reads that it is off.
 */
export function closeDisputesIfDelisted(state: ListState, indicatorId: string, before: Status, after: Status, why: string): void {
  if (isDisputed(before) && !isOnList(after)) state.push(resolveDisputesStatement(state.db, indicatorId, 'removed', why, state.at));
}
