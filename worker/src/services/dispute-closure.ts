import { caseOutcome, NEUTRAL_ANSWERS, type Indicator, type Status } from '../../../shared';
import { resolveCaseStatement } from '../db/disputes';
import type { ListState } from './list-state';

/**
 * A reviewer's decision answers the indicator's open case in the same batch: kept when the indicator is on the
 * list after it, removed when not, with the public reason the reviewer wrote for the appellants (or the neutral
 * one). The audit reason never reaches them.
 */
export function answerCase(state: ListState, indicator: Indicator, after: Status | null, publicReason: string | undefined): void {
  const outcome = caseOutcome(after);
  state.push(resolveCaseStatement(state.db, indicator, outcome, publicReason ?? NEUTRAL_ANSWERS[outcome], state.at));
}
