import { CONSENSUS_STATUS, expressionOf, reopenedBy, statusAfterCount, tally, type FlagResult, type Status } from '../../../shared';
import { auditStatement } from '../db/audit';
import { insertFlagStatement, type LiveFlag } from '../db/flags';
import { recordResponseStatement } from '../db/idempotency';
import { newIndicatorRow, type IndicatorRow } from '../db/indicators';
import { newId } from '../db/rows';
import { ApiError } from '../errors';
import type { ListState } from './list-state';
import { linkService } from './service-linking';
import type { WriteCommand, WriteOutcome } from './write-commands';

interface Working {
  before: IndicatorRow | null;
  row: IndicatorRow;
  flags: LiveFlag[];
  /** The status last written to the audit log, to record each move once. */
  lastStatus: Status | null;
}

/**
 * Plans one flag request against the batch's state: one live flag per organization and indicator, the
 * count and status from the list rules, audit rows, and the response stored under its Idempotency-Key in
 * the same batch. A replay answers the stored response; a key reused for another body is refused.
 */
export function planFlags(state: ListState, { caller, inputs, claim }: Extract<WriteCommand, { type: 'flag' }>, threshold: number): WriteOutcome {
  const stored = state.storedResponse(claim);
  if (stored) {
    if (stored.request_hash !== claim.requestHash) {
      throw new ApiError(422, 'idempotency_key_reused', 'This Idempotency-Key was used for a different request; use a new key.');
    }
    return { ok: true, status: stored.status as 200 | 201, body: JSON.parse(stored.body), replayed: true };
  }

  const working = new Map<string, Working>();
  const pending = new Set(inputs.map((input) => expressionOf(input.indicator)));
  const flagStatements: D1PreparedStatement[] = [];
  const results: FlagResult[] = [];
  for (const input of inputs) {
    const key = expressionOf(input.indicator);
    let work = working.get(key);
    if (!work) {
      const before = state.row(input.indicator);
      const row = before ?? newIndicatorRow(input.indicator);
      work = { before, row, flags: [...state.flagsOf(row.id)], lastStatus: before?.status ?? null };
      working.set(key, work);
    }
    const mine = work.flags.find((f) => f.orgId === caller.orgId);
    if (mine) {
      const service = work.row.serviceId ? state.service(work.row.serviceId) : undefined;
      results.push({
        target: input.target,
        indicator: input.indicator,
        outcome: 'already_flagged',
        flagId: mine.id,
        status: work.row.status,
        orgCount: work.row.orgCount,
        ...(service ? { service: { id: service.id, name: service.name, match: 'member' as const, via: [] } } : {}),
      });
      continue;
    }
    const flag: LiveFlag = {
      id: newId('flag'),
      indicatorId: work.row.id,
      orgId: caller.orgId,
      reason: input.reason,
      operator: caller.operator,
      suspended: false,
    };
    work.flags.push(flag);
    const counted = tally(work.flags);
    const status = statusAfterCount(reopenedBy(work.row.status), work.row.confirmed, counted.orgCount, threshold);
    const linked = linkService(state, { ...work.row, ...counted, status, updatedAt: state.at }, input.serviceKeys, input.evidence, caller, pending);
    const after: IndicatorRow = linked.row;
    flagStatements.push(
      insertFlagStatement(state.db, {
        ...flag,
        keyId: caller.keyId,
        target: input.target,
        note: input.note ?? null,
        evidence: input.evidence ?? null,
        createdAt: state.at,
      }),
      auditStatement(
        state.db,
        {
          action: 'flag.created',
          actorOrgId: caller.orgId,
          actorKeyId: caller.keyId,
          subjectType: 'flag',
          subjectId: flag.id,
          orgId: caller.orgId,
          reason: input.reason,
          details: { indicator: input.indicator },
        },
        state.at,
      ),
    );
    if (status !== work.lastStatus) {
      flagStatements.push(
        auditStatement(
          state.db,
          {
            action: status === CONSENSUS_STATUS ? 'indicator.listed_by_consensus' : `indicator.${status}`,
            actorOrgId: caller.orgId,
            actorKeyId: caller.keyId,
            subjectType: 'indicator',
            subjectId: after.id,
            fromStatus: work.lastStatus,
            toStatus: status,
            details: { indicator: input.indicator, orgCount: after.orgCount, threshold },
          },
          state.at,
        ),
      );
      work.lastStatus = status;
    }
    work.row = after;
    results.push({
      target: input.target,
      indicator: input.indicator,
      outcome: 'accepted',
      flagId: flag.id,
      status,
      orgCount: after.orgCount,
      ...(linked.link ? { service: linked.link } : {}),
    });
  }

  // Indicator rows first, so the flags' foreign key finds them.
  for (const { before, row, flags } of working.values()) {
    if (row === before) continue;
    state.save(before, row);
    state.setFlags(row.id, flags);
  }
  state.push(...flagStatements);
  const body = { results };
  const status = results.some((r) => r.outcome === 'accepted') ? 201 : 200;
  state.push(recordResponseStatement(state.db, claim, status, body));
  state.remember(claim, status, body);
  return { ok: true, status, body };
}
