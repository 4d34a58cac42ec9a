import type { IndicatorKind, ReviewAction, Status } from '../../../shared';
import { auditStatement } from '../db/audit';
import { retireFlagsStatement } from '../db/flags';
import { newIndicatorRow, readIndicators, saveIndicatorStatement } from '../db/indicators';
import { now } from '../db/rows';
import { ApiError } from '../errors';
import type { Caller } from '../types';
import { commitWrite } from './commit';
import { parseTargets } from './targets';

/** Which statuses each review action starts from, and where it leads. `null` = never flagged. */
const TRANSITIONS: Record<ReviewAction, { from: (Status | null)[]; to: Status; retiresFlags: boolean }> = {
  confirm: { from: [null, 'reported', 'disputed', 'delisted'], to: 'listed', retiresFlags: false },
  reject: { from: ['reported'], to: 'delisted', retiresFlags: true },
  delist: { from: ['listed', 'disputed'], to: 'delisted', retiresFlags: true },
  dispute: { from: ['listed'], to: 'disputed', retiresFlags: false },
};

export interface ReviewInput {
  action: ReviewAction;
  target: string;
  kind?: IndicatorKind;
  reason: string;
  caller: Caller;
}

export async function reviewIndicator(db: D1Database, { action, target, kind, reason, caller }: ReviewInput) {
  const [indicator] = parseTargets([{ target, kind }], () => 'target');
  const rule = TRANSITIONS[action];
  return commitWrite(db, async (head) => {
    const before = (await readIndicators(db, [indicator!])).get(`${indicator!.kind}:${indicator!.value}`) ?? null;
    const from = before?.status ?? null;
    if (!rule.from.includes(from)) {
      const state = from ?? 'never flagged';
      throw before
        ? new ApiError(409, 'invalid_transition', `Cannot ${action} an indicator that is ${state}; allowed from: ${rule.from.map((s) => s ?? 'never flagged').join(', ')}.`)
        : new ApiError(404, 'not_found', `${indicator!.kind}:${indicator!.value} has never been flagged.`);
    }
    const at = now();
    const base = before ?? newIndicatorRow(indicator!, rule.to);
    const after = { ...base, status: rule.to, updatedAt: at, ...(rule.retiresFlags ? { orgCount: 0, reasons: [] } : {}) };
    const statements = [
      saveIndicatorStatement(db, after),
      ...(rule.retiresFlags ? [retireFlagsStatement(db, after.id)] : []),
      auditStatement(db, {
        action: `indicator.${action}`,
        actorOrgId: caller.orgId,
        actorKeyId: caller.keyId,
        subjectType: 'indicator',
        subjectId: after.id,
        fromStatus: from,
        toStatus: rule.to,
        reason,
        details: { indicator },
      }, at),
    ];
    const onListChanged = ['listed', 'disputed'].includes(from ?? '') || ['listed', 'disputed'].includes(rule.to);
    const result = {
      indicator: { kind: after.kind, value: after.value, status: after.status, reasons: after.reasons, orgCount: after.orgCount },
      from: from ?? 'unknown',
      version: onListChanged ? head.version + 1 : null,
    };
    return { statements, transitions: [{ before, after }], result };
  });
}
