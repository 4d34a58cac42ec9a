import { caseOutcome, expressionOf, type AppealAnswerResponse, type Indicator } from '../../../shared';
import { auditStatement } from '../db/audit';
import { countOpenDisputes, resolveCaseStatement } from '../db/disputes';
import { readIndicators } from '../db/indicators';
import { now } from '../db/rows';
import { ApiError } from '../errors';
import type { Caller } from '../types';

/**
 * An operator reviewer answers a target's case without changing the list: the appellants read `kept` when it is
 * on the list and `removed` when it is not, with the reviewer's public reason; the audit keeps the reason.
 */
export async function answerAppeals(env: Env, caller: Caller, indicator: Indicator, reason: string, publicReason: string): Promise<AppealAnswerResponse> {
  const open = await countOpenDisputes(env.DB, indicator);
  if (open === 0) throw new ApiError(404, 'not_found', `${expressionOf(indicator)} has no open appeal.`);
  const row = (await readIndicators(env.DB, [indicator])).get(expressionOf(indicator));
  const outcome = caseOutcome(row?.status ?? null);
  const at = now();
  const [resolved] = await env.DB.batch([
    resolveCaseStatement(env.DB, indicator, outcome, publicReason, at),
    auditStatement(
      env.DB,
      {
        action: 'dispute.answered',
        actorOrgId: caller.orgId,
        actorKeyId: caller.keyId,
        subjectType: 'indicator',
        subjectId: row?.id ?? expressionOf(indicator),
        reason,
        details: { indicator, outcome, publicReason },
      },
      at,
    ),
  ]);
  return { indicator: { kind: indicator.kind, value: indicator.value }, outcome, answered: resolved!.meta.changes };
}
