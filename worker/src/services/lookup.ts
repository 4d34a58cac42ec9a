import { lookupPlan, type LookupResult } from '../../../shared';
import { readIndicators, toSummary } from '../db/indicators';

/** Looks up many raw inputs with one query, by the shared lookup rule; counts and reasons, never which organizations. */
export async function lookupInputs(db: D1Database, inputs: string[]): Promise<LookupResult[]> {
  const plan = lookupPlan(inputs);
  const rows = await readIndicators(db, plan.candidates);
  return plan.answers((expression) => {
    const row = rows.get(expression);
    return row && toSummary(row);
  });
}
